{{/* Labels every object of the bundle carries (the same as `claude-k8s manifests`). */}}
{{- define "agents.labels" -}}
app.kubernetes.io/managed-by: claude-k8s
app.kubernetes.io/component: agent-namespace
{{- end }}

{{- define "agents.serverNamespace" -}}
{{- .Values.serviceAccount.namespace | default .Values.namespace -}}
{{- end }}

{{- define "agents.paperclipNamespace" -}}
{{- .Values.paperclipApi.namespace | default (include "agents.serverNamespace" .) -}}
{{- end }}

{{/*
Checks, the API server's rules: a bad value fails the render naming the value and a good example.
Each takes (list value "values.path" "good example").
*/}}
{{- define "agents.checkLabel" -}}
{{- $v := toString (index . 0) -}}
{{- if or (gt (len $v) 63) (not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" $v)) -}}
{{- fail (printf "%s %q is not a DNS-1123 label (lower-case letters, digits and '-', at most 63), e.g. %s: %s" (index . 1) $v (index . 1) (index . 2)) -}}
{{- end -}}
{{- end }}

{{- define "agents.checkName" -}}
{{- $v := toString (index . 0) -}}
{{- if or (gt (len $v) 253) (not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" $v)) -}}
{{- fail (printf "%s %q is not a DNS-1123 name (lower-case letters, digits, '-' and '.'), e.g. %s: %s" (index . 1) $v (index . 1) (index . 2)) -}}
{{- end -}}
{{- end }}

{{- define "agents.checkPort" -}}
{{- $v := index . 0 -}}
{{- if or (not (regexMatch "^[0-9]{1,5}$" (toString $v))) (lt (int $v) 1) (gt (int $v) 65535) -}}
{{- fail (printf "%s %v is not a TCP port (1-65535), e.g. %s: %s" (index . 1) $v (index . 1) (index . 2)) -}}
{{- end -}}
{{- end }}

{{- define "agents.checkQuantity" -}}
{{- $v := toString (index . 0) -}}
{{- if or (not (regexMatch "^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$" $v)) (regexMatch "^[0.]*[^1-9]*$" $v) -}}
{{- fail (printf "%s %q is not a positive Kubernetes quantity (like 500m, 2, 512Mi, 8Gi), e.g. %s: %s" (index . 1) $v (index . 1) (index . 2)) -}}
{{- end -}}
{{- end }}

{{- define "agents.checkCidr" -}}
{{- $v := toString (index . 0) -}}
{{- $v4 := "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/(3[0-2]|[12]?[0-9])$" -}}
{{- $v6 := "^[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7}/(12[0-8]|1[01][0-9]|[1-9]?[0-9])$" -}}
{{- if not (or (regexMatch $v4 $v) (regexMatch $v6 $v)) -}}
{{- fail (printf "%s %q is not a CIDR, e.g. %s: [10.96.0.0/12] or [2001:db8::/32]" (index . 1) $v (index . 1)) -}}
{{- end -}}
{{- end }}

{{- define "agents.checkSelector" -}}
{{- $selector := index . 0 -}}
{{- if or (not (kindIs "map" $selector)) (eq (len $selector) 0) -}}
{{- fail (printf "%s must be a map of label: value, e.g. %s: {%s}" (index . 1) (index . 1) (index . 2)) -}}
{{- end -}}
{{- range $key, $value := $selector -}}
{{- if or (not (regexMatch "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$" $key)) (not (regexMatch "^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$" (toString $value))) -}}
{{- fail (printf "%s %s=%v is not a valid label, e.g. %s: {%s}" (index $ 1) $key $value (index $ 1) (index $ 2)) -}}
{{- end -}}
{{- end -}}
{{- end }}

{{- define "agents.validate" -}}
{{- $v := .Values -}}
{{- include "agents.checkLabel" (list $v.namespace "namespace" "paperclip-agents") -}}
{{- include "agents.checkName" (list $v.serviceAccount.name "serviceAccount.name" "paperclip-claude-k8s") -}}
{{- include "agents.checkLabel" (list (include "agents.serverNamespace" .) "serviceAccount.namespace" "paperclip") -}}
{{- range $v.modelApi.cidrs }}{{ include "agents.checkCidr" (list . "modelApi.cidrs") }}{{ end -}}
{{- include "agents.checkPort" (list $v.modelApi.port "modelApi.port" "443") -}}
{{- include "agents.checkLabel" (list (include "agents.paperclipNamespace" .) "paperclipApi.namespace" "paperclip") -}}
{{- include "agents.checkSelector" (list $v.paperclipApi.podSelector "paperclipApi.podSelector" "app.kubernetes.io/name: paperclip") -}}
{{- range $v.paperclipApi.cidrs }}{{ include "agents.checkCidr" (list . "paperclipApi.cidrs") }}{{ end -}}
{{- include "agents.checkPort" (list $v.paperclipApi.port "paperclipApi.port" "3100") -}}
{{- include "agents.checkLabel" (list $v.dns.namespace "dns.namespace" "kube-system") -}}
{{- include "agents.checkSelector" (list $v.dns.podSelector "dns.podSelector" "k8s-app: kube-dns") -}}
{{- if not (regexMatch "^[1-9][0-9]{0,5}$" (toString $v.quota.pods)) -}}
{{- fail (printf "quota.pods %v is not a whole number from 1 to 999999, e.g. quota.pods: 8" $v.quota.pods) -}}
{{- end -}}
{{- include "agents.checkQuantity" (list $v.quota.requestsCpu "quota.requestsCpu" "\"8\"") -}}
{{- include "agents.checkQuantity" (list $v.quota.requestsMemory "quota.requestsMemory" "16Gi") -}}
{{- include "agents.checkQuantity" (list $v.quota.limitsCpu "quota.limitsCpu" "\"32\"") -}}
{{- include "agents.checkQuantity" (list $v.quota.limitsMemory "quota.limitsMemory" "64Gi") -}}
{{- include "agents.checkQuantity" (list $v.containerMax.cpu "containerMax.cpu" "\"4\"") -}}
{{- include "agents.checkQuantity" (list $v.containerMax.memory "containerMax.memory" "8Gi") -}}
{{- if $v.workspaceClaim.enabled -}}
{{- include "agents.checkName" (list $v.workspaceClaim.name "workspaceClaim.name" "paperclip-workspace") -}}
{{- include "agents.checkQuantity" (list $v.workspaceClaim.size "workspaceClaim.size" "100Gi") -}}
{{- if $v.workspaceClaim.storageClassName }}{{ include "agents.checkName" (list $v.workspaceClaim.storageClassName "workspaceClaim.storageClassName" "nfs-client") }}{{ end -}}
{{- end -}}
{{- include "agents.checkName" (list $v.credentialsSecret.name "credentialsSecret.name" "claude-k8s-credentials") -}}
{{- range $v.credentialsSecret.keys -}}
{{- if not (regexMatch "^[A-Za-z_][A-Za-z0-9_]*$" (toString .)) -}}
{{- fail (printf "credentialsSecret.keys %q is not an environment variable name, e.g. credentialsSecret.keys: [ANTHROPIC_API_KEY]" .) -}}
{{- end -}}
{{- end -}}
{{- end }}
