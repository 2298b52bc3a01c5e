package countersign.kubernetes.k8s_lib_test

import data.countersign.kubernetes.k8s_lib

test_resource_id_defaults if {
	k8s_lib.resource_id({"kind": "Pod", "metadata": {"name": "a", "namespace": "ns"}}) == "Pod/ns/a"
	k8s_lib.resource_id({"kind": "Pod", "metadata": {"name": "a"}}) == "Pod/default/a"
	k8s_lib.resource_id({"kind": "Job", "metadata": {"generateName": "migrate-"}}) == "Job/default/migrate-"
	k8s_lib.resource_id({"kind": "Pod"}) == "Pod/default/unnamed"
}

# `kubectl get -o yaml` gives a List: each item is checked, with its path.
test_list_items_have_their_paths if {
	inp := {"apiVersion": "v1", "kind": "List", "items": [
		{"kind": "ConfigMap", "metadata": {"name": "c"}},
		{"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "i"}]}},
	]}
	cs := k8s_lib.containers with input as inp
	count(cs) == 1
	some c in cs
	c.path == ["items", 1, "spec", "containers", 0]
	c.pod.resource == "Pod/default/p"
}

test_unnamed_container if {
	cs := k8s_lib.containers with input as {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"initContainers": [{"image": "i"}]}}
	{c.name | some c in cs} == {"initContainers[0]"}
}

test_documents_without_kind_are_ignored if {
	count(k8s_lib.objects) == 0 with input as {"Resources": {}}
	count(k8s_lib.pod_specs) == 0 with input as {"kind": "Pod", "metadata": {"name": "p"}, "spec": [{"containers": []}]}
}
