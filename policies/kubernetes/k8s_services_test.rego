package countersign.kubernetes.k8s_services_test

import data.countersign.kubernetes.k8s_services

service(spec) := service_with({}, spec)

service_with(annotations, spec) := {
	"apiVersion": "v1",
	"kind": "Service",
	"metadata": {"name": "hello-kubernetes", "annotations": annotations},
	"spec": object.union({"ports": [{"port": 80, "targetPort": 8080}], "selector": {"app": "hello-kubernetes"}}, spec),
}

findings(inp) := fs if {
	fs := k8s_services.deny | k8s_services.warn with input as inp
}

# conftest examples/kubernetes/service.yaml.
test_load_balancer_without_source_ranges_is_high if {
	some f in k8s_services.deny with input as service({"type": "LoadBalancer"})
	f.rule == "k8s-service-public-loadbalancer"
	f.severity == "high"
	f.resource == "Service/default/hello-kubernetes"
	f.path == ["spec", "type"]
	f.msg == "Service/default/hello-kubernetes is a LoadBalancer reachable from the whole internet: it sets no loadBalancerSourceRanges"
}

test_load_balancer_open_to_slash_zero_is_high if {
	some f in k8s_services.deny with input as service({"type": "LoadBalancer", "loadBalancerSourceRanges": ["10.0.0.0/8", "::/0"]})
	f.rule == "k8s-service-public-loadbalancer"
	contains(f.msg, "include ::/0")
}

test_restricted_load_balancer_is_medium if {
	inp := service({"type": "LoadBalancer", "loadBalancerSourceRanges": ["203.0.113.0/24"]})
	count(k8s_services.deny) == 0 with input as inp
	some f in k8s_services.warn with input as inp
	f.rule == "k8s-service-loadbalancer"
	f.severity == "medium"
	f.path == ["spec", "type"]
}

test_internal_load_balancer_is_medium if {
	inp := service_with({"service.beta.kubernetes.io/aws-load-balancer-internal": "true"}, {"type": "LoadBalancer"})
	count(k8s_services.deny) == 0 with input as inp
	some f in k8s_services.warn with input as inp
	f.rule == "k8s-service-loadbalancer"
	contains(f.msg, "internal")
}

test_node_port_is_medium if {
	some f in k8s_services.warn with input as service({"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]})
	f.rule == "k8s-service-nodeport"
	f.severity == "medium"
	f.path == ["spec", "type"]
}

# checkov example_ShareHost/memcachedStatefulSet-PASSED.yaml: a headless ClusterIP service.
test_cluster_ip_passes if {
	count(findings(service({"clusterIP": "None"}))) == 0
	count(findings(service({"type": "ClusterIP"}))) == 0
}

test_service_in_a_list if {
	inp := {"kind": "List", "items": [service({"type": "NodePort"})]}
	some f in k8s_services.warn with input as inp
	f.path == ["items", 0, "spec", "type"]
}
