/** Clients that load the running services and print figures; started by the scripts in bench/. */
package dev.votingapp.bench;
