/**
 * The formats that cross roles: the queue's message ({@link dev.votingapp.store.VoteMessage}) and its
 * clock, the database's schema and every SQL statement ({@link dev.votingapp.store.Sql},
 * {@link dev.votingapp.store.Schema}), and the tally notification
 * ({@link dev.votingapp.store.TallyNotice}). Imports only {@code config}.
 */
package dev.votingapp.store;
