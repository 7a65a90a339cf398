package dev.votingapp.config;

import java.util.List;

/**
 * The vote service's settings.
 *
 * @param allowedOrigins VOTE_ALLOWED_ORIGINS: origins (lower case) whose pages may post votes besides the
 *                       ballot's own; empty means same-origin only (see {@link dev.votingapp.web.Origins})
 */
public record VoteConfig(List<String> allowedOrigins) {
}
