# Shared helpers of the Kubernetes families: the objects of an input document (a single object
# or the items of a `List`), their pod specs wherever the kind keeps them, and every container
# of those specs, each with the path of its value inside `input`.
package countersign.kubernetes.k8s_lib

# Where each kind keeps its pod spec.
pod_spec_paths := {
	"Pod": ["spec"],
	"PodTemplate": ["template", "spec"],
	"Deployment": ["spec", "template", "spec"],
	"StatefulSet": ["spec", "template", "spec"],
	"DaemonSet": ["spec", "template", "spec"],
	"ReplicaSet": ["spec", "template", "spec"],
	"ReplicationController": ["spec", "template", "spec"],
	"DeploymentConfig": ["spec", "template", "spec"],
	"Job": ["spec", "template", "spec"],
	"CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
}

# The container lists of a pod spec.
container_keys := ["containers", "initContainers", "ephemeralContainers"]

# The Kubernetes objects of the input, each {object, path}: the document itself, or each item
# of a `List` (`kubectl get -o yaml` output).
objects contains o if {
	is_string(input.kind)
	not is_list_kind(input.kind)
	o := {"object": input, "path": []}
}

objects contains o if {
	is_list_kind(input.kind)
	is_array(input.items)
	some i, item in input.items
	is_object(item)
	is_string(item.kind)
	o := {"object": item, "path": ["items", i]}
}

is_list_kind(kind) if endswith(kind, "List")

# The value of `key` when `x` is an object holding a non-null one, else `fallback`.
get(x, key, fallback) := x[key] if {
	is_object(x)
	x[key] != null
} else := fallback

namespace(obj) := ns if {
	ns := get(get(obj, "metadata", {}), "namespace", "")
	is_string(ns)
	ns != ""
} else := "default"

name(obj) := n if {
	n := get(get(obj, "metadata", {}), "name", "")
	is_string(n)
	n != ""
} else := n if {
	n := get(get(obj, "metadata", {}), "generateName", "")
	is_string(n)
	n != ""
} else := "unnamed"

# The finding `resource` of an object: `Kind/namespace/name`.
resource_id(obj) := sprintf("%s/%s/%s", [obj.kind, namespace(obj), name(obj)])

# Every pod spec of the input: {spec, path, resource, kind}.
pod_specs contains p if {
	some o in objects
	rel := pod_spec_paths[o.object.kind]
	spec := object.get(o.object, rel, null)
	is_object(spec)
	p := {"spec": spec, "path": array.concat(o.path, rel), "resource": resource_id(o.object), "kind": o.object.kind}
}

# Every container of every pod spec: {container, name, list, path, pod}, `list` being the key it
# comes from (containers, initContainers, ephemeralContainers).
containers contains c if {
	some p in pod_specs
	some key in container_keys
	cs := p.spec[key]
	is_array(cs)
	some i, container in cs
	is_object(container)
	c := {
		"container": container,
		"name": container_name(container, key, i),
		"list": key,
		"path": array.concat(p.path, [key, i]),
		"pod": p,
	}
}

container_name(container, key, i) := container.name if {
	is_string(container.name)
	container.name != ""
} else := sprintf("%s[%d]", [key, i])

# The security context of a container or pod spec ({} when absent or malformed).
security_context(x) := sc if {
	sc := x.securityContext
	is_object(sc)
} else := {}
