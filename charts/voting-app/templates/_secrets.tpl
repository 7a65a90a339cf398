{{/* Passwords: the Secret, each component's PostgreSQL login and password keys, the volumes that mount them as files. */}}

{{- define "voting-app.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-credentials" (include "voting-app.fullname" .)) }}
{{- end }}

{{/* Where password files are mounted in every pod that needs one. */}}
{{- define "voting-app.secretsDir" -}}/var/run/secrets/voting-app{{- end }}

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
