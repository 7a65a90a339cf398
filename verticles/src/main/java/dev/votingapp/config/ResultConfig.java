package dev.votingapp.config;

import java.util.List;

/**
 * The result service's settings.
 *
 * @param pollMs         RESULT_POLL_MS: how often the tally is read anyway, the safety net under NOTIFY
 * @param maxClients     RESULT_MAX_CLIENTS: live WebSocket viewers per process; past it an upgrade is
 *                       refused with 503, so one process cannot be exhausted by connections
 * @param allowedOrigins RESULT_ALLOWED_ORIGINS: origins (lower case) whose pages may open the WebSocket
 *                       besides the results page's own; empty means same-origin only
 * @param staleAfterMs   RESULT_STALE_AFTER_MS: the tally is not current once no read has confirmed it
 *                       for this long, or votes reported waiting saw no commit for this long
 */
public record ResultConfig(int pollMs, int maxClients, List<String> allowedOrigins, int staleAfterMs) {
}
