{{/* The pieces every app pod shares: the restricted security contexts, the probes, the topology spread. */}}

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
