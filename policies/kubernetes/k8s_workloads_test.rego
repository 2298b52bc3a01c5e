package countersign.kubernetes.k8s_workloads_test

import data.countersign.kubernetes.k8s_workloads

# A container that passes every rule.
hardened := {
	"name": "app",
	"image": "registry.example.com/app:1.2.3",
	"securityContext": {"allowPrivilegeEscalation": false, "runAsNonRoot": true, "runAsUser": 10001, "capabilities": {"drop": ["ALL"]}},
}

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "shop"}, "spec": spec}

deployment(spec) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web"},
	"spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": spec}},
}

findings(inp) := fs if {
	fs := k8s_workloads.deny | k8s_workloads.warn with input as inp
}

rules(inp) := {f.rule | some f in findings(inp)}

test_hardened_pod_passes if {
	count(findings(pod({"containers": [hardened]}))) == 0
	count(findings(deployment({"containers": [hardened], "initContainers": [object.union(hardened, {"name": "init"})]}))) == 0
}

# checkov example_PrivilegedContainers/privilegedPod-FAILED.yaml (trimmed).
test_privileged_container_is_critical if {
	inp := pod({
		"containers": [{"name": "busybox", "image": "busybox", "stdin": true, "securityContext": {"privileged": true}, "volumeMounts": [{"name": "host-root-volume", "mountPath": "/host"}]}],
		"volumes": [{"name": "host-root-volume", "hostPath": {"path": "/"}}],
		"hostNetwork": true, "hostPID": true, "restartPolicy": "Always",
	})
	some f in k8s_workloads.deny with input as inp
	f.rule == "k8s-privileged-container"
	f.severity == "critical"
	f.resource == "Pod/shop/web"
	f.path == ["spec", "containers", 0, "securityContext", "privileged"]
	f.msg == "Pod/shop/web: container busybox runs privileged: it has every capability and the host's devices, i.e. root on the node"
}

test_privileged_in_a_daemonset_template if {
	inp := {
		"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "privileged"},
		"spec": {"selector": {"matchLabels": {"name": "p"}}, "template": {"spec": {"containers": [{"name": "busybox", "image": "busybox", "securityContext": {"privileged": true}}]}}},
	}
	some f in k8s_workloads.deny with input as inp
	f.rule == "k8s-privileged-container"
	f.resource == "DaemonSet/default/privileged"
	f.path == ["spec", "template", "spec", "containers", 0, "securityContext", "privileged"]
}

test_not_privileged_passes if {
	not "k8s-privileged-container" in rules(pod({"containers": [object.union(hardened, {"securityContext": {"privileged": false, "allowPrivilegeEscalation": false, "runAsNonRoot": true}})]}))
}

# checkov example_AllowPrivilegeEscalation/ds-nginx-ingress-FAILED.yaml (trimmed).
test_explicit_privilege_escalation if {
	inp := {
		"kind": "DaemonSet", "apiVersion": "apps/v1", "metadata": {"name": "nginx-ingress-controller", "namespace": "example-ns"},
		"spec": {"template": {"spec": {"containers": [{
			"name": "nginx-ingress-controller", "image": "private_repo/private_image",
			"securityContext": {"allowPrivilegeEscalation": true, "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}, "runAsUser": 33},
		}]}}},
	}
	some f in k8s_workloads.warn with input as inp
	f.rule == "k8s-privilege-escalation"
	f.severity == "medium"
	f.resource == "DaemonSet/example-ns/nginx-ingress-controller"
	f.path == ["spec", "template", "spec", "containers", 0, "securityContext", "allowPrivilegeEscalation"]
	rules(inp) == {"k8s-privilege-escalation"}
}

# checkov example_AllowPrivilegeEscalation/nginx-app-FAILED.json: unset means allowed.
test_unset_privilege_escalation_is_reported_on_the_container if {
	inp := pod({"containers": [{"name": "nginx", "image": "nginx:1.14.2", "ports": [{"name": "http", "containerPort": 80}]}]})
	some f in k8s_workloads.warn with input as inp
	f.rule == "k8s-privilege-escalation"
	f.path == ["spec", "containers", 0]
}

# A privileged container escalates anyway: it is reported as privileged, not twice.
test_privileged_container_without_escalation_setting if {
	inp := pod({"containers": [{"name": "c", "image": "i", "securityContext": {"privileged": true, "runAsNonRoot": true}}]})
	rules(inp) == {"k8s-privileged-container"}
}

# checkov example_AllowPrivilegeEscalation/oc-deploymentConfig-PASSED.yml and
# pod-runas1000-malformed-PASSED.yaml (containers is an object there: nothing to check).
test_escalation_disabled_and_malformed_pass if {
	inp := {"apiVersion": "v1", "kind": "DeploymentConfig", "metadata": {"name": "frontend"}, "spec": {"replicas": 5, "template": {"spec": {"securityContext": {"runAsUser": 1000}, "containers": [{"image": "openshift/hello-openshift", "name": "helloworld", "securityContext": {"allowPrivilegeEscalation": false}}]}}}}
	count(findings(inp)) == 0
	malformed := pod({"securityContext": {"runAsUser": 1000}, "containers": {"name": "sec-ctx-demo", "image": "busybox", "securityContext": {"allowPrivilegeEscalation": false}}})
	count(findings(malformed)) == 0
}

# checkov example_ShareHost/cronjob-hostresources-FAILED.yaml.
test_host_namespaces_in_a_cronjob if {
	inp := {
		"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "hello"},
		"spec": {"schedule": "*/1 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
			"containers": [hardened], "restartPolicy": "OnFailure",
			"hostPID": true, "hostIPC": true, "hostNetwork": true,
		}}}}},
	}
	fs := k8s_workloads.deny with input as inp
	{f.rule | some f in fs} == {"k8s-host-network", "k8s-host-pid", "k8s-host-ipc"}
	some f in fs
	f.rule == "k8s-host-network"
	f.severity == "high"
	f.resource == "CronJob/default/hello"
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "hostNetwork"]
}

test_host_namespaces_false_pass if {
	count(findings(pod({"hostNetwork": false, "hostPID": false, "hostIPC": false, "containers": [hardened]}))) == 0
}

test_host_path_severity_by_path if {
	inp := deployment({"containers": [hardened], "volumes": [
		{"name": "docker", "hostPath": {"path": "/var/run/docker.sock", "type": "Socket"}},
		{"name": "logs", "hostPath": {"path": "/var/log/app"}},
		{"name": "kube", "hostPath": {"path": "/etc/kubernetes/"}},
		{"name": "data", "emptyDir": {}},
	]})
	fs := {[f.severity, f.path] | some f in k8s_workloads.deny with input as inp; f.rule == "k8s-hostpath-volume"}
	fs == {
		["critical", ["spec", "template", "spec", "volumes", 0, "hostPath", "path"]],
		["high", ["spec", "template", "spec", "volumes", 1, "hostPath", "path"]],
		["critical", ["spec", "template", "spec", "volumes", 2, "hostPath", "path"]],
	}
}

test_host_path_root_is_critical if {
	some f in k8s_workloads.deny with input as pod({"containers": [hardened], "volumes": [{"name": "host-fs", "hostPath": {"path": "/"}}]})
	f.rule == "k8s-hostpath-volume"
	f.severity == "critical"
	f.msg == "Pod/shop/web mounts the node's / into volume host-fs (hostPath)"
}

test_no_host_path_passes if {
	count(findings(pod({"containers": [hardened], "volumes": [{"name": "cfg", "configMap": {"name": "cfg"}}]}))) == 0
}

# checkov example_RootContainers/rootContainersFAILED.yaml, pod2: the container overrides the pod.
test_container_overrides_run_as_non_root if {
	inp := pod({"securityContext": {"runAsNonRoot": true}, "containers": [{"name": "main", "image": "alpine", "securityContext": {"allowPrivilegeEscalation": false, "runAsNonRoot": false}}]})
	some f in k8s_workloads.warn with input as inp
	f.rule == "k8s-run-as-root"
	f.severity == "medium"
	f.path == ["spec", "containers", 0, "securityContext", "runAsNonRoot"]
}

# rootContainersFAILED.yaml, pod3: runAsUser 0 on the pod is one finding, on the pod's value.
test_pod_run_as_user_zero if {
	one := {"name": "one", "image": "i", "securityContext": {"allowPrivilegeEscalation": false}}
	two := {"name": "two", "image": "i", "securityContext": {"allowPrivilegeEscalation": false}}
	inp := pod({"securityContext": {"runAsUser": 0}, "containers": [one, two]})
	fs := {f | some f in k8s_workloads.warn with input as inp; f.rule == "k8s-run-as-root"}
	count(fs) == 1
	some f in fs
	f.path == ["spec", "securityContext", "runAsUser"]
	f.msg == "Pod/shop/web: pod sets runAsUser: 0, so it runs as root"
}

test_container_run_as_user_zero if {
	inp := pod({"securityContext": {"runAsUser": 1000}, "containers": [hardened, {"name": "main2", "image": "alpine", "securityContext": {"allowPrivilegeEscalation": false, "runAsUser": 0}}]})
	some f in k8s_workloads.warn with input as inp
	f.rule == "k8s-run-as-root"
	f.path == ["spec", "containers", 1, "securityContext", "runAsUser"]
}

test_run_as_user_zero_with_run_as_non_root if {
	inp := pod({"securityContext": {"runAsNonRoot": true}, "containers": [{"name": "c", "image": "i", "securityContext": {"allowPrivilegeEscalation": false, "runAsUser": 0}}]})
	some f in k8s_workloads.warn with input as inp
	f.rule == "k8s-run-as-root"
	contains(f.msg, "the kubelet will refuse to start it")
}

# rootContainersFAILED_2.yaml: a malformed securityContext (a string) is no protection.
test_malformed_security_context_may_run_as_root if {
	inp := pod({"securityContext": "runAsUser:65534 fsGroup:65534", "containers": [{"name": "c", "image": "i", "securityContext": {"allowPrivilegeEscalation": false}}]})
	rules(inp) == {"k8s-run-as-root"}
}

# rootContainersPASSED.yaml: runAsNonRoot or a non-zero user, on the pod or the container.
test_non_root_passes if {
	c := {"name": "main", "image": "alpine", "securityContext": {"allowPrivilegeEscalation": false}}
	count(findings(pod({"securityContext": {"runAsNonRoot": true}, "containers": [c]}))) == 0
	count(findings(pod({"securityContext": {"runAsUser": 1000}, "containers": [c]}))) == 0
	count(findings(pod({"securityContext": {"runAsNonRoot": false}, "containers": [object.union(c, {"securityContext": {"allowPrivilegeEscalation": false, "runAsNonRoot": true}})]}))) == 0
}

test_dangerous_capabilities if {
	inp := pod({"containers": [object.union(hardened, {"securityContext": {"allowPrivilegeEscalation": false, "runAsNonRoot": true, "capabilities": {"add": ["NET_BIND_SERVICE", "CAP_SYS_ADMIN", "net_admin"]}}})]})
	fs := {[f.msg, f.path] | some f in k8s_workloads.deny with input as inp; f.rule == "k8s-dangerous-capability"; f.severity == "high"}
	fs == {
		["Pod/shop/web: container app adds the SYS_ADMIN capability", ["spec", "containers", 0, "securityContext", "capabilities", "add", 1]],
		["Pod/shop/web: container app adds the NET_ADMIN capability", ["spec", "containers", 0, "securityContext", "capabilities", "add", 2]],
	}
}

test_harmless_capabilities_pass if {
	count(findings(pod({"containers": [object.union(hardened, {"securityContext": {"allowPrivilegeEscalation": false, "runAsNonRoot": true, "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}}})]}))) == 0
}

# checkov example_HostPort/nginx-app-FAILED.yaml.
test_host_port if {
	c := object.union(hardened, {"name": "nginx", "ports": [{"containerPort": 80}, {"containerPort": 443, "hostPort": 443, "name": "https"}]})
	some f in k8s_workloads.warn with input as deployment({"containers": [c]})
	f.rule == "k8s-host-port"
	f.severity == "medium"
	f.resource == "Deployment/default/web"
	f.path == ["spec", "template", "spec", "containers", 0, "ports", 1, "hostPort"]
}

# checkov example_HostPort/nginx-app-PASSED.yaml: `ports: null` and container ports only.
test_container_ports_pass if {
	count(findings(deployment({"containers": [object.union(hardened, {"ports": [{"containerPort": 80}]})]}))) == 0
	count(findings(deployment({"containers": [object.union(hardened, {"ports": null})]}))) == 0
}

test_init_and_ephemeral_containers_are_checked if {
	inp := pod({
		"containers": [hardened],
		"initContainers": [{"name": "setup", "image": "busybox", "securityContext": {"privileged": true}}],
		"ephemeralContainers": [{"name": "debugger", "image": "busybox", "securityContext": {"allowPrivilegeEscalation": false, "runAsNonRoot": true, "capabilities": {"add": ["SYS_PTRACE"]}}}],
	})
	fs := k8s_workloads.deny with input as inp
	some p in fs
	p.rule == "k8s-privileged-container"
	p.path == ["spec", "initContainers", 0, "securityContext", "privileged"]
	startswith(p.msg, "Pod/shop/web: init container setup")
	some c in fs
	c.rule == "k8s-dangerous-capability"
	c.path == ["spec", "ephemeralContainers", 0, "securityContext", "capabilities", "add", 0]
}

test_other_kinds_are_ignored if {
	count(findings({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"privileged": "true"}})) == 0
	count(findings({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"type": "ClusterIP"}})) == 0
}
