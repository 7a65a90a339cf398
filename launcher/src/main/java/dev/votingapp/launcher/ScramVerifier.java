package dev.votingapp.launcher;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677), computed here as psql's
 * \password and libpq's PQencryptPasswordConn do. ALTER ROLE ... PASSWORD accepts it as it is, so the
 * password itself never reaches the server: not its statement log, not pg_stat_activity, not
 * pg_stat_statements. For ASCII passwords (the roles command takes no other), which SASLprep leaves as
 * they are.
 */
final class ScramVerifier {

  /** PostgreSQL's default (scram_iterations). */
  static final int ITERATIONS = 4096;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ScramVerifier() {
  }

  /** SCRAM-SHA-256$4096:salt$StoredKey:ServerKey, with a fresh random salt. */
  static String of(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256);
      byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      spec.clearPassword();
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
      byte[] serverKey = hmac(salted, "Server Key");
      Base64.Encoder base64 = Base64.getEncoder();
      return "SCRAM-SHA-256$" + ITERATIONS + ":" + base64.encodeToString(salt) + "$"
          + base64.encodeToString(storedKey) + ":" + base64.encodeToString(serverKey);
    } catch (GeneralSecurityException missing) {
      throw new IllegalStateException("this JVM has no PBKDF2WithHmacSHA256 or HmacSHA256", missing);
    }
  }

  private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
  }
}
