{{/* Checks across values that the schema cannot express (templates/deployments.yaml runs them). */}}

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
