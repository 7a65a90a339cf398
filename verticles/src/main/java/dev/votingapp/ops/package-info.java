/**
 * What a process tells operators: /health, /ready and /metrics on the management port
 * ({@link dev.votingapp.ops.Management}), the Prometheus registry and Vert.x's meters
 * ({@link dev.votingapp.ops.Telemetry}), OpenTelemetry ({@link dev.votingapp.ops.Tracing}) and the log
 * layouts. Imports {@code config} and {@code web}.
 */
package dev.votingapp.ops;
