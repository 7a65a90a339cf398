{{/* The environment of an app container: the variables each role reads, and the JVM's memory from its limit. */}}

{{/*
Environment of an app container: what the role reads (docs/configuration.md), passwords as files.
Call with (dict "root" $ "role" "vote").
*/}}
{{- define "voting-app.env" -}}
{{- $v := .root.Values }}
{{- $role := .role }}
{{- $secrets := include "voting-app.secretsDir" . }}
- name: MANAGEMENT_PORT
  value: {{ $v.app.managementPort | quote }}
- name: LOG_LEVEL
  value: {{ $v.app.logLevel | quote }}
- name: OPTION_A
  value: {{ $v.app.optionA | quote }}
- name: OPTION_B
  value: {{ $v.app.optionB | quote }}
- name: HTTP_IDLE_TIMEOUT_SECONDS
  value: {{ $v.app.httpIdleTimeoutSeconds | quote }}
- name: JAVA_TOOL_OPTIONS
  value: {{ include "voting-app.javaToolOptions" (dict "root" .root "limit" (index $v $role).resources.limits.memory) | quote }}
{{- if has $role (list "vote" "result") }}
- name: SHUTDOWN_DRAIN_SECONDS
  value: {{ $v.app.shutdownDrainSeconds | quote }}
{{- end }}
{{- if eq $role "vote" }}
- name: VOTE_PORT
  value: "5000"
{{- end }}
{{- if eq $role "result" }}
- name: RESULT_PORT
  value: "5001"
- name: RESULT_MAX_CLIENTS
  value: {{ $v.result.maxClients | quote }}
- name: RESULT_POLL_MS
  value: {{ $v.result.pollMs | quote }}
{{- with $v.result.allowedOrigins }}
- name: RESULT_ALLOWED_ORIGINS
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if has $role (list "vote" "worker") }}
- name: REDIS_URL
  value: {{ include "voting-app.redisUrl" .root | quote }}
- name: REDIS_QUEUE
  value: {{ $v.redis.queue | quote }}
{{- if $v.redis.auth.enabled }}
- name: REDIS_PASSWORD_FILE
  value: {{ printf "%s/redis-password" $secrets }}
{{- end }}
{{- include "voting-app.caEnv" (dict "root" .root "redis" true) }}
{{- end }}
{{- if has $role (list "worker" "result" "migrate" "roles") }}
- name: PGHOST
  value: {{ include "voting-app.pgHost" .root | quote }}
- name: PGPORT
  value: {{ include "voting-app.pgPort" .root | quote }}
- name: PGDATABASE
  value: {{ $v.postgresql.database | quote }}
- name: PGUSER
  value: {{ include "voting-app.pgUser" . | quote }}
- name: PGPASSWORD_FILE
  value: {{ printf "%s/pg-password" $secrets }}
- name: PGSSLMODE
  value: {{ include "voting-app.pgSslMode" .root | quote }}
{{- include "voting-app.caEnv" (dict "root" .root "postgresql" true) }}
{{- end }}
{{- if eq $role "worker" }}
- name: WORKER_BATCH_SIZE
  value: {{ $v.worker.batchSize | quote }}
- name: WORKER_CONCURRENCY
  value: {{ $v.worker.concurrency | quote }}
- name: WORKER_LINGER_MS
  value: {{ $v.worker.lingerMs | quote }}
- name: WORKER_TIMEOUT_MS
  value: {{ $v.worker.timeoutMs | quote }}
{{- end }}
{{- if and $v.tracing.enabled (has $role (list "vote" "worker" "result")) }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ $v.tracing.endpoint | quote }}
- name: OTEL_EXPORTER_OTLP_PROTOCOL
  value: {{ $v.tracing.protocol | quote }}
- name: OTEL_TRACES_SAMPLER
  value: {{ $v.tracing.sampler | quote }}
- name: OTEL_TRACES_SAMPLER_ARG
  value: {{ $v.tracing.samplerArg | quote }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ printf "deployment.environment=%s,k8s.namespace.name=%s" .root.Release.Namespace .root.Release.Namespace | quote }}
{{- end }}
{{- end }}

{{/*
A memory quantity in MiB, rounded down: 384Mi, 1Gi, 512M, 1G, 400000Ki, 402653184 (bytes).
The schema only lets such forms through for limits.memory.
*/}}
{{- define "voting-app.mebibytes" -}}
{{- $q := toString . }}
{{- if hasSuffix "Gi" $q }}{{ mul (trimSuffix "Gi" $q | int64) 1024 }}
{{- else if hasSuffix "Mi" $q }}{{ trimSuffix "Mi" $q | int64 }}
{{- else if hasSuffix "Ki" $q }}{{ div (trimSuffix "Ki" $q | int64) 1024 }}
{{- else if hasSuffix "G" $q }}{{ div (mul (trimSuffix "G" $q | int64) 1000000000) 1048576 }}
{{- else if hasSuffix "M" $q }}{{ div (mul (trimSuffix "M" $q | int64) 1000000) 1048576 }}
{{- else if hasSuffix "k" $q }}{{ div (mul (trimSuffix "k" $q | int64) 1000) 1048576 }}
{{- else }}{{ div ($q | int64) 1048576 }}
{{- end }}
{{- end }}

{{/* JAVA_TOOL_OPTIONS from a memory limit: the heap and direct memory as shares of it. */}}
{{- define "voting-app.javaToolOptions" -}}
{{- $limit := include "voting-app.mebibytes" .limit | int64 }}
{{- $heap := div (mul $limit .root.Values.jvm.heapPercent) 100 }}
{{- $direct := div (mul $limit .root.Values.jvm.directMemoryPercent) 100 }}
{{- printf "-Xmx%dm -XX:MaxDirectMemorySize=%dm %s" $heap $direct .root.Values.jvm.extraOptions | trim }}
{{- end }}
