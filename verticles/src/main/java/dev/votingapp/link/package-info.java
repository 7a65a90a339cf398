/**
 * Connections to Redis and PostgreSQL with a deadline on every piece of work
 * ({@link dev.votingapp.link.RedisLink}, {@link dev.votingapp.link.PgLink},
 * {@link dev.votingapp.link.PgPools}), Lua scripts, and waiting for a dependency: retrying
 * ({@link dev.votingapp.link.Retry}) and logging its outage once ({@link dev.votingapp.link.Outage}).
 * Imports {@code config} and {@code store}.
 */
package dev.votingapp.link;
