/**
 * Configuration: every environment variable a role reads ({@link dev.votingapp.config.Config#fromEnv}),
 * checked at start with every problem named at once, passwords given as values or files
 * ({@link dev.votingapp.config.Secret}), and the connection options built from them. The bottom layer:
 * it imports no other package of the app.
 */
package dev.votingapp.config;
