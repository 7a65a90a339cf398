/**
 * What every HTTP server of the app shares: its options and binding
 * ({@link dev.votingapp.web.HttpServers}), unreadable requests ({@link dev.votingapp.web.BadRequests})
 * and which pages may post or open the live results ({@link dev.votingapp.web.Origins}). Imports only
 * {@code config}.
 */
package dev.votingapp.web;
