package dev.votingapp.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority of the test's own and a server certificate it signed, for localhost and
 * 127.0.0.1, as PEM files in a folder: {@code ca.pem}, {@code server.pem}, {@code server.key}.
 */
public record TestCertificates(Path ca, Path certificate, Path key) {

  public static TestCertificates create(Path folder, String authorityName) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      KeyPair caKeys = generator.generateKeyPair();
      KeyPair serverKeys = generator.generateKeyPair();
      X500Name authority = new X500Name("CN=" + authorityName);
      Date from = Date.from(Instant.now().minus(Duration.ofHours(1)));
      Date until = Date.from(Instant.now().plus(Duration.ofDays(2)));

      X509CertificateHolder caCertificate = new JcaX509v3CertificateBuilder(authority, BigInteger.ONE, from, until,
          authority, caKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()));
      X509CertificateHolder serverCertificate = new JcaX509v3CertificateBuilder(authority, BigInteger.TWO, from, until,
          new X500Name("CN=localhost"), serverKeys.getPublic())
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())}))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()));

      Path ca = Files.writeString(folder.resolve("ca.pem"), pem(caCertificate));
      Path certificate = Files.writeString(folder.resolve("server.pem"), pem(serverCertificate));
      Path key = folder.resolve("server.key");
      Files.writeString(key, pem(new JcaPKCS8Generator(serverKeys.getPrivate(), null).generate()));
      // PostgreSQL refuses a key that others may read.
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      return new TestCertificates(ca, certificate, key);
    } catch (GeneralSecurityException | OperatorCreationException | IOException failed) {
      throw new IllegalStateException("could not make test certificates", failed);
    }
  }

  private static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }
}
