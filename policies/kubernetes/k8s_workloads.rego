# Kubernetes workloads that break out of container isolation (SPEC §4: privileged / hostNetwork /
# hostPath pods): privileged containers, privilege escalation, host namespaces, hostPath
# volumes, root users, dangerous capabilities and host ports. Checks every pod spec (Pod and
# every pod-template kind, CronJob included) and every container, init and ephemeral container.
package countersign.kubernetes.k8s_workloads

import data.countersign.kubernetes.k8s_lib
import data.countersign.lib

# Host paths whose mount hands the node to the pod: its root, its configuration and
# credentials, its processes, and the container runtime's API sockets. A mount of anything
# under these is as bad.
sensitive_host_paths := {
	"/", "/etc", "/proc", "/root", "/var/run/docker.sock", "/run/docker.sock",
	"/var/run", "/run", "/var/run/containerd", "/run/containerd", "/var/run/crio", "/run/crio",
	"/var/lib/kubelet", "/var/lib/docker",
}

# Capabilities that amount to root on the node or control of its network.
dangerous_capabilities := {"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_MODULE", "SYS_PTRACE"}

# The host namespaces a pod can share, with the rule reporting each.
host_namespaces := {
	"hostNetwork": {"rule": "k8s-host-network", "what": "the node's network namespace (it sees and can bind every host interface)"},
	"hostPID": {"rule": "k8s-host-pid", "what": "the node's process namespace (it sees and can signal every host process)"},
	"hostIPC": {"rule": "k8s-host-ipc", "what": "the node's IPC namespace (shared memory of every host process)"},
}

list_labels := {"containers": "container", "initContainers": "init container", "ephemeralContainers": "ephemeral container"}

label(c) := sprintf("%s: %s %s", [c.pod.resource, list_labels[c.list], c.name])

sc(c) := k8s_lib.security_context(c.container)

pod_sc(c) := k8s_lib.security_context(c.pod.spec)

sc_path(c, key) := array.concat(c.path, ["securityContext", key])

privileged(c) if sc(c).privileged == true

deny contains f if {
	some c in k8s_lib.containers
	privileged(c)
	f := lib.finding(
		"k8s-privileged-container",
		"critical",
		sprintf("%s runs privileged: it has every capability and the host's devices, i.e. root on the node", [label(c)]),
		c.pod.resource,
		sc_path(c, "privileged"),
		"Remove `privileged: true`; add only the specific capabilities the container needs.",
	)
}

warn contains f if {
	some c in k8s_lib.containers
	sc(c).allowPrivilegeEscalation == true
	f := lib.finding(
		"k8s-privilege-escalation",
		"medium",
		sprintf("%s sets allowPrivilegeEscalation: true (setuid binaries can gain more privileges than their parent)", [label(c)]),
		c.pod.resource,
		sc_path(c, "allowPrivilegeEscalation"),
		"Set `securityContext.allowPrivilegeEscalation: false` on the container.",
	)
}

# Unset means allowed. A privileged container escalates anyway and is reported as privileged.
warn contains f if {
	some c in k8s_lib.containers
	k8s_lib.get(sc(c), "allowPrivilegeEscalation", null) == null
	not privileged(c)
	f := lib.finding(
		"k8s-privilege-escalation",
		"medium",
		sprintf("%s does not set allowPrivilegeEscalation: false, so privilege escalation is allowed", [label(c)]),
		c.pod.resource,
		c.path,
		"Set `securityContext.allowPrivilegeEscalation: false` on the container.",
	)
}

deny contains f if {
	some p in k8s_lib.pod_specs
	some key, ns in host_namespaces
	p.spec[key] == true
	f := lib.finding(
		ns.rule,
		"high",
		sprintf("%s sets %s: true: the pod shares %s", [p.resource, key, ns.what]),
		p.resource,
		array.concat(p.path, [key]),
		sprintf("Remove `%s: true`; run node agents that truly need it in a dedicated, locked-down namespace.", [key]),
	)
}

# Every hostPath volume: {pod, host_path, path} (`host_path` is "" when it is not a string).
host_path_volumes contains v if {
	some p in k8s_lib.pod_specs
	is_array(p.spec.volumes)
	some j, volume in p.spec.volumes
	is_object(volume.hostPath)
	hp := k8s_lib.get(volume.hostPath, "path", "")
	v := {
		"pod": p,
		"name": k8s_lib.get(volume, "name", sprintf("volumes[%d]", [j])),
		"host_path": hp,
		"path": array.concat(p.path, ["volumes", j, "hostPath", "path"]),
	}
}

# A host path with its trailing slashes removed ("/" stays "/").
normalized(hp) := n if {
	t := trim_right(trim_space(hp), "/")
	t != ""
	n := t
} else := "/"

host_path_severity(hp) := "critical" if sensitive(hp)

else := "high"

sensitive(hp) if {
	is_string(hp)
	normalized(hp) in sensitive_host_paths
}

sensitive(hp) if {
	is_string(hp)
	some s in sensitive_host_paths
	s != "/"
	startswith(normalized(hp), concat("", [s, "/"]))
}

deny contains f if {
	some v in host_path_volumes
	f := lib.finding(
		"k8s-hostpath-volume",
		host_path_severity(v.host_path),
		sprintf("%s mounts the node's %v into volume %v (hostPath)", [v.pod.resource, v.host_path, v.name]),
		v.pod.resource,
		v.path,
		"Use a persistentVolumeClaim, configMap, secret or emptyDir instead of a hostPath volume; if a node agent truly needs one, mount the narrowest path read-only.",
	)
}

# The effective value of a security-context setting for a container: its own, else its pod's,
# with the path where it is set.
effective(c, key) := {"value": v, "path": sc_path(c, key), "where": "container"} if {
	v := k8s_lib.get(sc(c), key, null)
	v != null
} else := {"value": v, "path": array.concat(c.pod.path, ["securityContext", key]), "where": "pod"} if {
	v := k8s_lib.get(pod_sc(c), key, null)
	v != null
} else := {"value": null, "path": c.path, "where": "none"}

runs_as_uid_zero(c) if effective(c, "runAsUser").value == 0

non_root_user(c) if {
	uid := effective(c, "runAsUser").value
	is_number(uid)
	uid > 0
}

# With runAsNonRoot: true as well, the kubelet refuses to start the container instead.
uid_zero_consequence(c) := ", but also runAsNonRoot: true, so the kubelet will refuse to start it" if non_root_enforced(c)

else := ", so it runs as root"

# Who sets a pod-level value is the pod (one finding, not one per container).
setter(c, "container") := label(c)

setter(c, "pod") := sprintf("%s: pod", [c.pod.resource])

non_root_enforced(c) if effective(c, "runAsNonRoot").value == true

warn contains f if {
	some c in k8s_lib.containers
	e := effective(c, "runAsUser")
	e.value == 0
	who := setter(c, e.where)
	f := lib.finding(
		"k8s-run-as-root",
		"medium",
		sprintf("%s sets runAsUser: 0%s", [who, uid_zero_consequence(c)]),
		c.pod.resource,
		e.path,
		"Run as a non-zero user (`runAsUser: 10001`) and set `runAsNonRoot: true`.",
	)
}

warn contains f if {
	some c in k8s_lib.containers
	not runs_as_uid_zero(c)
	not non_root_user(c)
	not non_root_enforced(c)
	e := effective(c, "runAsNonRoot")
	f := lib.finding(
		"k8s-run-as-root",
		"medium",
		sprintf("%s may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set for it or its pod", [label(c)]),
		c.pod.resource,
		e.path,
		"Set `securityContext.runAsNonRoot: true` (and a non-zero `runAsUser`) on the pod or container.",
	)
}

deny contains f if {
	some c in k8s_lib.containers
	added := k8s_lib.get(k8s_lib.get(sc(c), "capabilities", {}), "add", [])
	is_array(added)
	some k, cap in added
	is_string(cap)
	name := trim_prefix(upper(trim_space(cap)), "CAP_")
	name in dangerous_capabilities
	f := lib.finding(
		"k8s-dangerous-capability",
		"high",
		sprintf("%s adds the %s capability", [label(c), name]),
		c.pod.resource,
		array.concat(c.path, ["securityContext", "capabilities", "add", k]),
		"Drop ALL capabilities and add back only narrow ones the container needs (e.g. NET_BIND_SERVICE).",
	)
}

warn contains f if {
	some c in k8s_lib.containers
	ports := c.container.ports
	is_array(ports)
	some k, port in ports
	hp := k8s_lib.get(port, "hostPort", 0)
	hp != 0
	f := lib.finding(
		"k8s-host-port",
		"medium",
		sprintf("%s binds host port %v on its node", [label(c), hp]),
		c.pod.resource,
		array.concat(c.path, ["ports", k, "hostPort"]),
		"Remove `hostPort` and expose the container through a Service.",
	)
}
