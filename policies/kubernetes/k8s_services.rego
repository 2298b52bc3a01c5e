# Kubernetes Services reachable from outside the cluster (SPEC §4: LoadBalancer and NodePort
# services). A LoadBalancer open to every address is high; one restricted by
# loadBalancerSourceRanges, or marked internal, is medium; a NodePort is medium.
package countersign.kubernetes.k8s_services

import data.countersign.kubernetes.k8s_lib
import data.countersign.lib

# Annotations (and their values) that keep a cloud load balancer inside the VPC.
internal_annotations := {
	"service.beta.kubernetes.io/aws-load-balancer-internal": {"true", "0.0.0.0/0"},
	"service.beta.kubernetes.io/aws-load-balancer-scheme": {"internal"},
	"service.beta.kubernetes.io/azure-load-balancer-internal": {"true"},
	"networking.gke.io/load-balancer-type": {"internal"},
	"cloud.google.com/load-balancer-type": {"internal"},
	"service.beta.kubernetes.io/oci-load-balancer-internal": {"true"},
}

# Every Service: {object, resource, spec, path}.
services contains s if {
	some o in k8s_lib.objects
	o.object.kind == "Service"
	spec := o.object.spec
	is_object(spec)
	s := {"object": o.object, "resource": k8s_lib.resource_id(o.object), "spec": spec, "path": array.concat(o.path, ["spec"])}
}

load_balancers contains s if {
	some s in services
	s.spec.type == "LoadBalancer"
}

internal(s) if {
	some key, values in internal_annotations
	value := k8s_lib.get(k8s_lib.get(s.object, "metadata", {}), "annotations", {})[key]
	lower(trim_space(sprintf("%v", [value]))) in values
}

source_ranges(s) := ranges if {
	ranges := s.spec.loadBalancerSourceRanges
	is_array(ranges)
} else := []

# Why a load balancer is open to the internet: no source ranges, or a /0 among them.
open_to_world(s) := "it sets no loadBalancerSourceRanges" if {
	count(source_ranges(s)) == 0
} else := sprintf("its loadBalancerSourceRanges include %s", [cidr]) if {
	some cidr in source_ranges(s)
	lib.is_world(cidr)
}

deny contains f if {
	some s in load_balancers
	not internal(s)
	why := open_to_world(s)
	f := lib.finding(
		"k8s-service-public-loadbalancer",
		"high",
		sprintf("%s is a LoadBalancer reachable from the whole internet: %s", [s.resource, why]),
		s.resource,
		array.concat(s.path, ["type"]),
		"Restrict `loadBalancerSourceRanges` to known networks, make the load balancer internal, or expose the service through an Ingress with authentication.",
	)
}

warn contains f if {
	some s in load_balancers
	internal(s)
	f := lib.finding(
		"k8s-service-loadbalancer",
		"medium",
		sprintf("%s is an internal LoadBalancer: it is reachable from outside the cluster, within the private network", [s.resource]),
		s.resource,
		array.concat(s.path, ["type"]),
		"Confirm the service must be reachable outside the cluster; otherwise use type ClusterIP.",
	)
}

warn contains f if {
	some s in load_balancers
	not internal(s)
	not open_to_world(s)
	f := lib.finding(
		"k8s-service-loadbalancer",
		"medium",
		sprintf("%s is a LoadBalancer: it is reachable from outside the cluster by %s", [s.resource, concat(", ", [sprintf("%v", [r]) | some r in source_ranges(s)])]),
		s.resource,
		array.concat(s.path, ["type"]),
		"Confirm the service must be reachable outside the cluster and that the source ranges are the intended ones.",
	)
}

warn contains f if {
	some s in services
	s.spec.type == "NodePort"
	f := lib.finding(
		"k8s-service-nodeport",
		"medium",
		sprintf("%s is a NodePort service: it opens a port on every node of the cluster", [s.resource]),
		s.resource,
		array.concat(s.path, ["type"]),
		"Use type ClusterIP behind an Ingress or an internal load balancer instead of exposing a port on every node.",
	)
}
