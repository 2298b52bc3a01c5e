package countersign.cloudformation.cfn_lib_test

import data.countersign.cloudformation.cfn_lib

test_resources_skip_malformed_entries if {
	inp := {"Resources": {"A": {"Type": "AWS::S3::Bucket"}, "B": "oops", "C": {"Properties": {}}}}
	{r.id | some r in cfn_lib.resources} == {"A"} with input as inp
	count(cfn_lib.resources) == 0 with input as {"Resources": ["x"]}
}

test_booleans_and_numbers if {
	cfn_lib.is_true("True")
	cfn_lib.is_false(" false ")
	not cfn_lib.is_false({"Ref": "Flag"})
	cfn_lib.number("22") == 22
	cfn_lib.number(-1) == -1
	not cfn_lib.number("ssh")
	not cfn_lib.number({"Ref": "Port"})
}

test_resolve_only_parameters_with_a_default if {
	inp := {"Parameters": {"Cidr": {"Type": "String", "Default": "0.0.0.0/0"}, "NoDefault": {"Type": "String"}}}
	cfn_lib.resolve({"Ref": "Cidr"}) == "0.0.0.0/0" with input as inp
	cfn_lib.resolve({"Ref": "NoDefault"}) == {"Ref": "NoDefault"} with input as inp
	cfn_lib.resolve({"Ref": "AWS::Region"}) == {"Ref": "AWS::Region"} with input as inp
	cfn_lib.via({"Ref": "Cidr"}) == " (the default of parameter Cidr)" with input as inp
	cfn_lib.via("10.0.0.0/8") == "" with input as inp
}
