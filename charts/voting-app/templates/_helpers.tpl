{{/* Names, labels, images and the pieces every role's pod shares. */}}

{{- define "voting-app.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "voting-app.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The roles in the order every template renders them. */}}
{{- define "voting-app.roles" -}}
vote worker result
{{- end }}

{{/* The name of one component's objects: <fullname>-<component>. Call with (dict "root" $ "component" "vote"). */}}
{{- define "voting-app.componentName" -}}
{{- printf "%s-%s" (include "voting-app.fullname" .root | trunc 50 | trimSuffix "-") .component }}
{{- end }}

{{- define "voting-app.selectorLabels" -}}
app.kubernetes.io/name: {{ include "voting-app.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "voting-app.labels" -}}
{{ include "voting-app.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: voting-app
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{/* Every pod of the release carries these (the default-deny network policy selects them). */}}
{{- define "voting-app.releaseSelector" -}}
app.kubernetes.io/name: {{ include "voting-app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
An image reference: repository@digest when a digest is given, else repository:tag.
Call with (dict "root" $ "role" "vote" "image" .Values.vote.image).
*/}}
{{- define "voting-app.image" -}}
{{- $repository := .image.repository | default (printf "%s/%s" .root.Values.image.repositoryPrefix .role) }}
{{- if .image.digest }}
{{- printf "%s@%s" $repository .image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* A third-party image (dev mode, the exporters): repository@digest or repository:tag. */}}
{{- define "voting-app.plainImage" -}}
{{- if .digest }}
{{- printf "%s@%s" .repository .digest }}
{{- else }}
{{- printf "%s:%s" .repository .tag }}
{{- end }}
{{- end }}

{{- define "voting-app.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-credentials" (include "voting-app.fullname" .)) }}
{{- end }}

{{/* Where the pods find Redis and PostgreSQL: the dev-mode Services, or the external hosts. */}}
{{- define "voting-app.redisHost" -}}
{{- if .Values.dev.enabled }}{{ include "voting-app.componentName" (dict "root" . "component" "redis") }}{{ else }}{{ .Values.redis.host }}{{ end }}
{{- end }}
{{- define "voting-app.redisPort" -}}
{{- if .Values.dev.enabled }}6379{{ else }}{{ .Values.redis.port }}{{ end }}
{{- end }}
{{- define "voting-app.redisTls" -}}
{{- if and .Values.redis.tls.enabled (not .Values.dev.enabled) }}true{{ end }}
{{- end }}
{{- define "voting-app.redisUrl" -}}
{{- printf "%s://%s:%s/%d" (ternary "rediss" "redis" (eq (include "voting-app.redisTls" .) "true")) (include "voting-app.redisHost" .) (include "voting-app.redisPort" .) (int .Values.redis.database) }}
{{- end }}
{{- define "voting-app.pgHost" -}}
{{- if .Values.dev.enabled }}{{ include "voting-app.componentName" (dict "root" . "component" "postgresql") }}{{ else }}{{ .Values.postgresql.host }}{{ end }}
{{- end }}
{{- define "voting-app.pgPort" -}}
{{- if .Values.dev.enabled }}5432{{ else }}{{ .Values.postgresql.port }}{{ end }}
{{- end }}
{{- define "voting-app.pgSslMode" -}}
{{- if .Values.dev.enabled }}disable{{ else }}{{ .Values.postgresql.sslMode }}{{ end }}
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

{{/*
The pod and container security context of the app's pods: the restricted Pod Security Standard,
as the image's own user (65532, distroless nonroot), with a read-only root file system.
*/}}
{{- define "voting-app.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "voting-app.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
{{- end }}

{{/* The probes of an app container, all on the management port. */}}
{{- define "voting-app.probes" -}}
{{- $p := .Values.probes -}}
startupProbe:
  httpGet:
    path: /health
    port: management
  periodSeconds: {{ $p.startup.periodSeconds }}
  failureThreshold: {{ $p.startup.failureThreshold }}
  timeoutSeconds: {{ $p.startup.timeoutSeconds }}
livenessProbe:
  httpGet:
    path: /health
    port: management
  periodSeconds: {{ $p.liveness.periodSeconds }}
  failureThreshold: {{ $p.liveness.failureThreshold }}
  timeoutSeconds: {{ $p.liveness.timeoutSeconds }}
readinessProbe:
  httpGet:
    path: /ready
    port: management
  periodSeconds: {{ $p.readiness.periodSeconds }}
  failureThreshold: {{ $p.readiness.failureThreshold }}
  timeoutSeconds: {{ $p.readiness.timeoutSeconds }}
{{- end }}

{{/* Where password files are mounted in every pod that needs one. */}}
{{- define "voting-app.secretsDir" -}}/var/run/secrets/voting-app{{- end }}
{{- define "voting-app.caDir" -}}/var/run/voting-app-ca{{- end }}

{{/*
Environment of an app container: what the role reads (README, "Configuration"), passwords as files.
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
The PostgreSQL login of a role's pod: the master only for `roles`; the schema's owner for `migrate`
and the backup; the worker's and the result service's own logins.
Call with (dict "root" $ "role" "worker").
*/}}
{{- define "voting-app.pgUser" -}}
{{- $v := .root.Values }}
{{- $users := dict "roles" $v.postgresql.masterUser "migrate" $v.postgresql.ownerUser "backup" $v.postgresql.ownerUser
  "worker" $v.worker.databaseUser "result" $v.result.databaseUser "postgres-exporter" $v.exporters.postgres.databaseUser }}
{{- required (printf "no PostgreSQL login for %s" .role) (get $users .role) }}
{{- end }}

{{/*
Least privilege in the Secret: the password keys each component reads, as {file name: key}, in
<secretsDir>/<file name>. Only `roles` and the dev database read the master's.
Call with (dict "root" $ "role" "worker").
*/}}
{{- define "voting-app.passwordFiles" -}}
{{- $v := .root.Values }}
{{- $k := $v.secrets.keys }}
{{- $role := .role }}
{{- $files := dict }}
{{- if and $v.redis.auth.enabled (has $role (list "vote" "worker" "backup" "redis")) }}
{{- $_ := set $files "redis-password" $k.redisPassword }}
{{- end }}
{{- if and $v.redis.auth.enabled (eq $role "redis-exporter") }}
{{- $_ := set $files "redis-password" (ternary $k.redisMonitorPassword $k.redisPassword (ne $v.exporters.redis.user "")) }}
{{- end }}
{{- $pg := dict "roles" $k.postgresPassword "postgresql" $k.postgresPassword "migrate" $k.ownerDbPassword "backup" $k.ownerDbPassword
  "worker" $k.workerDbPassword "result" $k.resultDbPassword }}
{{- if hasKey $pg $role }}
{{- $_ := set $files "pg-password" (get $pg $role) }}
{{- end }}
{{- if eq $role "roles" }}
{{- $_ := set $files "owner-db-password" $k.ownerDbPassword }}
{{- $_ := set $files "worker-db-password" $k.workerDbPassword }}
{{- $_ := set $files "result-db-password" $k.resultDbPassword }}
{{- end }}
{{- if and (has $role (list "roles" "postgres-exporter")) $v.exporters.postgres.enabled }}
{{- $_ := set $files "monitor-db-password" $k.monitorDbPassword }}
{{- end }}
{{- toYaml $files }}
{{- end }}

{{/* Which components of this rendering read the credentials Secret. */}}
{{- define "voting-app.secretReaders" -}}
{{- $v := .Values }}
{{- $readers := list "vote" "worker" "result" }}
{{- if $v.migrations.roles.enabled }}{{ $readers = append $readers "roles" }}{{ end }}
{{- if $v.migrations.job.enabled }}{{ $readers = append $readers "migrate" }}{{ end }}
{{- if $v.backup.enabled }}{{ $readers = append $readers "backup" }}{{ end }}
{{- if $v.exporters.postgres.enabled }}{{ $readers = append $readers "postgres-exporter" }}{{ end }}
{{- if $v.exporters.redis.enabled }}{{ $readers = append $readers "redis-exporter" }}{{ end }}
{{- if $v.dev.enabled }}{{ $readers = concat $readers (list "postgresql" "redis") }}{{ end }}
{{- join " " $readers }}
{{- end }}

{{/* The stores a component talks to: (dict "redis" BOOL "postgresql" BOOL), for the CA files. */}}
{{- define "voting-app.stores" -}}
{{- toYaml (dict "redis" (has . (list "vote" "worker" "backup" "redis-exporter")) "postgresql" (has . (list "worker" "result" "migrate" "roles" "backup" "postgres-exporter"))) }}
{{- end }}

{{/*
The password files a component reads, and the CA files: volumes (one Secret, only the keys the
component needs). Call with (dict "root" $ "role" "vote").
*/}}
{{- define "voting-app.secretVolumes" -}}
{{- $files := include "voting-app.passwordFiles" . | fromYaml }}
{{- $stores := include "voting-app.stores" .role | fromYaml }}
- name: tmp
  emptyDir:
    {{- if eq .role "redis-exporter" }}
    # It holds the exporter's password file: in memory, never on the node's disk.
    medium: Memory
    {{- end }}
    sizeLimit: 64Mi
{{- if $files }}
- name: passwords
  secret:
    secretName: {{ include "voting-app.secretName" .root }}
    defaultMode: 0440
    items:
      {{- range $path, $key := $files }}
      - key: {{ $key }}
        path: {{ $path }}
      {{- end }}
{{- end }}
{{- include "voting-app.caVolumes" (dict "root" .root "redis" $stores.redis "postgresql" $stores.postgresql) }}
{{- end }}

{{/* The mounts matching voting-app.secretVolumes (the same dict). */}}
{{- define "voting-app.secretMounts" -}}
{{- $stores := include "voting-app.stores" .role | fromYaml }}
- name: tmp
  mountPath: /tmp
{{- if include "voting-app.passwordFiles" . | fromYaml }}
- name: passwords
  mountPath: {{ include "voting-app.secretsDir" . }}
  readOnly: true
{{- end }}
{{- include "voting-app.caMounts" (dict "root" .root "redis" $stores.redis "postgresql" $stores.postgresql) }}
{{- end }}

{{/*
The CAs of Redis (REDIS_CA_CERT, redis.tls.ca) and PostgreSQL (PGSSLROOTCERT, postgresql.sslRootCert):
variables, volumes and mounts, for the pods that talk to each over TLS; every pod that reaches a store
(the app's roles, the migration Job, the backup CronJobs) takes them from here.
Call with (dict "root" $ "redis" BOOL "postgresql" BOOL).
*/}}
{{- define "voting-app.redisCa" -}}
{{- $v := .Values }}{{ if and (include "voting-app.redisTls" .) (or $v.redis.tls.ca.secretName $v.redis.tls.ca.configMapName) }}true{{ end }}
{{- end }}
{{- define "voting-app.postgresqlCa" -}}
{{- $v := .Values }}{{ if and (not $v.dev.enabled) (or $v.postgresql.sslRootCert.secretName $v.postgresql.sslRootCert.configMapName) }}true{{ end }}
{{- end }}

{{- define "voting-app.caEnv" -}}
{{- $v := .root.Values }}
{{- if and .redis (include "voting-app.redisCa" .root) }}
- name: REDIS_CA_CERT
  value: {{ printf "%s/redis/%s" (include "voting-app.caDir" .) $v.redis.tls.ca.key }}
{{- end }}
{{- if and .postgresql (include "voting-app.postgresqlCa" .root) }}
- name: PGSSLROOTCERT
  value: {{ printf "%s/postgresql/%s" (include "voting-app.caDir" .) $v.postgresql.sslRootCert.key }}
{{- end }}
{{- end }}

{{- define "voting-app.caVolumes" -}}
{{- $v := .root.Values }}
{{- range $store := list "redis" "postgresql" }}
{{- if and (index $ $store) (include (printf "voting-app.%sCa" $store) $.root) }}
{{- with ternary $v.redis.tls.ca $v.postgresql.sslRootCert (eq $store "redis") }}
- name: {{ $store }}-ca
{{- if .secretName }}
  secret:
    secretName: {{ .secretName }}
{{- else }}
  configMap:
    name: {{ .configMapName }}
{{- end }}
    items: [{key: {{ .key }}, path: {{ .key }}}]
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{- define "voting-app.caMounts" -}}
{{- range $store := list "redis" "postgresql" }}
{{- if and (index $ $store) (include (printf "voting-app.%sCa" $store) $.root) }}
- name: {{ $store }}-ca
  mountPath: {{ printf "%s/%s" (include "voting-app.caDir" $) $store }}
  readOnly: true
{{- end }}
{{- end }}
{{- end }}

{{/* Topology spread across zones and nodes for one component's pods. */}}
{{- define "voting-app.topologySpread" -}}
{{- $t := .root.Values.topologySpread }}
- maxSkew: {{ $t.zone.maxSkew }}
  topologyKey: topology.kubernetes.io/zone
  whenUnsatisfiable: {{ $t.zone.whenUnsatisfiable }}
  labelSelector:
    matchLabels:
      {{- include "voting-app.selectorLabels" . | nindent 6 }}
  matchLabelKeys: ["pod-template-hash"]
- maxSkew: {{ $t.hostname.maxSkew }}
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: {{ $t.hostname.whenUnsatisfiable }}
  labelSelector:
    matchLabels:
      {{- include "voting-app.selectorLabels" . | nindent 6 }}
  matchLabelKeys: ["pod-template-hash"]
{{- end }}

{{/* Checks across values that the schema cannot express; a clear message instead of a broken release. */}}
{{- define "voting-app.validate" -}}
{{- $v := .Values }}
{{- if and $v.vote.canary.enabled (not $v.istio.enabled) }}
{{- fail "vote.canary.enabled needs istio.enabled: without Istio nothing can split traffic by weight" }}
{{- end }}
{{- if and $v.istio.enabled $v.ingress.enabled }}
{{- fail "set either ingress.enabled or istio.enabled: with Istio the Gateway and VirtualServices take traffic in" }}
{{- end }}
{{- if and $v.externalSecrets.enabled (not $v.externalSecrets.roleArn) }}
{{- fail "externalSecrets.enabled needs externalSecrets.roleArn: the IAM role (IRSA) the SecretStore reads AWS Secrets Manager with" }}
{{- end }}
{{- if and $v.externalSecrets.enabled $v.secrets.existingSecret }}
{{- fail "set either secrets.existingSecret or externalSecrets.enabled: External Secrets makes the Secret <fullname>-credentials itself" }}
{{- end }}
{{- if and $v.dev.enabled (not $v.redis.auth.enabled) }}
{{- fail "dev.enabled runs Redis with a password: keep redis.auth.enabled true" }}
{{- end }}
{{- if and $v.dev.enabled (not (and $v.migrations.roles.enabled $v.migrations.job.enabled)) }}
{{- fail "dev.enabled needs migrations.roles.enabled and migrations.job.enabled: the dev database makes only the master user; the roles Job makes the logins and migrate the schema" }}
{{- end }}
{{- if and $v.monitoring.prometheusRule.enabled (not $v.monitoring.serviceMonitor.enabled) }}
{{- fail "monitoring.prometheusRule.enabled needs monitoring.serviceMonitor.enabled: the rules read what those ServiceMonitors scrape" }}
{{- end }}
{{- if and $v.exporters.redis.user (not $v.redis.auth.enabled) }}
{{- fail "exporters.redis.user needs redis.auth.enabled: an ACL user logs in with a password" }}
{{- end }}
{{- /* Tags are never `latest` (values.schema.json); nor is the release the chart was made for. */}}
{{- if eq .Chart.AppVersion "latest" }}
{{- fail "the chart's appVersion is latest: it must be the release the chart was made for" }}
{{- end }}
{{- if gt (add $v.jvm.heapPercent $v.jvm.directMemoryPercent) 80 }}
{{- fail "jvm.heapPercent + jvm.directMemoryPercent must leave at least 20% of the memory limit to the JVM's other memory" }}
{{- end }}
{{- if and $v.worker.keda.enabled (gt (int $v.worker.keda.minReplicaCount) (int $v.worker.keda.maxReplicaCount)) }}
{{- fail "worker.keda.minReplicaCount must not exceed worker.keda.maxReplicaCount" }}
{{- end }}
{{- range $role := list "vote" "result" }}
{{- $a := (index $v $role).autoscaling }}
{{- if and $a.enabled (gt (int $a.minReplicas) (int $a.maxReplicas)) }}
{{- fail (printf "%s.autoscaling.minReplicas must not exceed %s.autoscaling.maxReplicas" $role $role) }}
{{- end }}
{{- end }}
{{- end }}
