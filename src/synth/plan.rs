//! Synthetic Terraform plans, as `terraform show -json` prints them.

use serde_json::{Map, Value, json};

use super::{DB_CLASSES, EC2_TYPES, ENVS, Rng, TEAMS};

/// The shape of a synthetic Terraform plan, as `terraform show -json PLANFILE` prints it.
///
/// The plan manages AWS resources in the root module: security groups (with inline
/// `ingress` blocks) and standalone security group rules, S3 buckets (most followed by
/// their `aws_s3_bucket_public_access_block`), IAM policies (the policy document a JSON
/// string, as `jsonencode` leaves it), RDS instances (with a sensitive `password`), EC2
/// instances and EBS volumes. About 70 % of the changes create a resource, 18 % update one
/// in place, 6 % destroy one and 6 % replace one (`["delete", "create"]`, with the
/// `replace_paths` that force it), stateful types (databases, buckets, volumes) included.
/// About one change in ten is risky: SSH open to `0.0.0.0/0`, `Action = "*"`, a publicly
/// accessible or unencrypted database, an unencrypted volume, a `public-read` bucket.
/// Some risky updates were already risky before (pre-existing findings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TerraformPlan {
    /// Number of entries in `resource_changes`. Every one is a create, update, delete or
    /// replace, so the plan loads as this many hunks.
    pub resources: usize,
    /// Seed of the generator: the same seed gives the same plan.
    pub seed: u64,
}

/// A plan of 5 000 resource changes (seed 5 000): about 10 MB of JSON.
pub fn plan_5k() -> TerraformPlan {
    TerraformPlan {
        resources: 5_000,
        seed: 5_000,
    }
}

/// The plan `spec` describes, as the JSON value `terraform show -json` would print:
/// `format_version` `"1.2"`, `resource_changes` (sorted by address) with their
/// `before`/`after` values and `after_unknown`/`*_sensitive` masks, `planned_values` holding
/// every resource that exists after the apply, and a minimal `configuration`.
///
/// Serialise it with `serde_json::to_vec` to get the file.
pub fn plan_json(spec: &TerraformPlan) -> Value {
    let mut changes: Vec<Value> = Vec::with_capacity(spec.resources);
    let mut unit = 0usize;
    while changes.len() < spec.resources {
        let mut rng = Rng(spec.seed ^ (unit as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407));
        let resource = PlanResource::random(&mut rng, unit);
        let act = match rng.below(100) {
            0..70 => Act::Create,
            70..88 => Act::Update,
            88..94 => Act::Delete,
            _ => Act::Replace,
        };
        let risky = rng.below(10) == 0;
        changes.push(resource.change(&mut rng, act, risky));
        if resource.kind == PlanKind::Bucket && changes.len() < spec.resources {
            // A bucket updated in place gets the public access block it lacked.
            let act = if act == Act::Update { Act::Create } else { act };
            let block = PlanResource {
                kind: PlanKind::PublicAccessBlock,
                ..resource
            };
            changes.push(block.change(&mut rng, act, risky));
        }
        unit += 1;
    }
    changes.sort_by(|a, b| a["address"].as_str().cmp(&b["address"].as_str()));

    let mut planned = Vec::new();
    let mut configured = Vec::new();
    for rc in &changes {
        let after = &rc["change"]["after"];
        if after.is_null() {
            continue;
        }
        let kind = PlanKind::of(rc["type"].as_str().unwrap_or_default());
        planned.push(json!({
            "address": rc["address"],
            "mode": "managed",
            "type": rc["type"],
            "name": rc["name"],
            "provider_name": PROVIDER,
            "schema_version": kind.schema_version(),
            "values": after,
            "sensitive_values": rc["change"]["after_sensitive"],
        }));
        configured.push(json!({
            "address": rc["address"],
            "mode": "managed",
            "type": rc["type"],
            "name": rc["name"],
            "provider_config_key": "aws",
            "expressions": {},
            "schema_version": kind.schema_version(),
        }));
    }
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": { "root_module": { "resources": planned } },
        "resource_changes": changes,
        "configuration": {
            "provider_config": {
                "aws": {
                    "name": "aws",
                    "full_name": PROVIDER,
                    "version_constraint": "~> 5.0",
                    "expressions": { "region": { "constant_value": REGION } },
                },
            },
            "root_module": { "resources": configured },
        },
        "timestamp": "2024-11-14T22:13:20Z",
        "applyable": true,
        "complete": true,
        "errored": false,
    })
}

const PROVIDER: &str = "registry.terraform.io/hashicorp/aws";
const REGION: &str = "eu-west-1";
const ACCOUNT: &str = "123456789012";
const SERVICE_PORTS: &[u16] = &[443, 8443, 8080, 9090];

/// What a plan does to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Create,
    Update,
    Delete,
    /// `["delete", "create"]`.
    Replace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlanKind {
    SecurityGroup,
    SecurityGroupRule,
    Bucket,
    PublicAccessBlock,
    IamPolicy,
    DbInstance,
    Instance,
    EbsVolume,
}

impl PlanKind {
    const ALL: [PlanKind; 8] = [
        PlanKind::SecurityGroup,
        PlanKind::SecurityGroupRule,
        PlanKind::Bucket,
        PlanKind::PublicAccessBlock,
        PlanKind::IamPolicy,
        PlanKind::DbInstance,
        PlanKind::Instance,
        PlanKind::EbsVolume,
    ];

    fn type_name(self) -> &'static str {
        match self {
            PlanKind::SecurityGroup => "aws_security_group",
            PlanKind::SecurityGroupRule => "aws_security_group_rule",
            PlanKind::Bucket => "aws_s3_bucket",
            PlanKind::PublicAccessBlock => "aws_s3_bucket_public_access_block",
            PlanKind::IamPolicy => "aws_iam_policy",
            PlanKind::DbInstance => "aws_db_instance",
            PlanKind::Instance => "aws_instance",
            PlanKind::EbsVolume => "aws_ebs_volume",
        }
    }

    fn of(type_name: &str) -> PlanKind {
        PlanKind::ALL
            .into_iter()
            .find(|k| k.type_name() == type_name)
            .unwrap_or(PlanKind::Instance)
    }

    /// The provider schema version of the type (AWS provider 5.x).
    fn schema_version(self) -> u64 {
        match self {
            PlanKind::SecurityGroup | PlanKind::Instance => 1,
            PlanKind::SecurityGroupRule | PlanKind::DbInstance => 2,
            _ => 0,
        }
    }

    /// Attributes (JSON pointers into the values) whose change forces a replacement.
    fn forces_new(self) -> &'static [&'static str] {
        match self {
            PlanKind::SecurityGroup => &["/name", "/vpc_id", "/description"],
            PlanKind::SecurityGroupRule => &[
                "/type",
                "/from_port",
                "/to_port",
                "/protocol",
                "/cidr_blocks",
                "/security_group_id",
            ],
            PlanKind::Bucket => &["/bucket", "/object_lock_enabled"],
            PlanKind::PublicAccessBlock => &["/bucket"],
            PlanKind::IamPolicy => &["/name", "/path", "/description"],
            PlanKind::DbInstance => &[
                "/identifier",
                "/engine",
                "/storage_encrypted",
                "/username",
                "/db_name",
                "/availability_zone",
                "/kms_key_id",
            ],
            PlanKind::Instance => &[
                "/ami",
                "/subnet_id",
                "/availability_zone",
                "/root_block_device/0/encrypted",
            ],
            PlanKind::EbsVolume => &[
                "/availability_zone",
                "/encrypted",
                "/snapshot_id",
                "/kms_key_id",
            ],
        }
    }
}

/// One resource of a plan: its kind, name and the knobs its attribute values are made from.
#[derive(Debug, Clone)]
struct PlanResource {
    kind: PlanKind,
    name: String,
    stem: &'static str,
    env: &'static str,
    team: &'static str,
    size: u64,
    /// How much an update grows `size`.
    grow: u64,
    port: u16,
    class: &'static str,
    /// The class an update moves to.
    class2: &'static str,
    net: u8,
    /// Varies which risky settings a risky change has.
    variant: u8,
    /// 17 hex digits: the resource's cloud id.
    hex: String,
    /// A made-up database password (sensitive in the plan).
    secret: String,
}

/// Which version of a resource's values: risky or not, edited by an update, or the new
/// resource of a replacement.
#[derive(Debug, Clone, Copy)]
struct Side {
    risky: bool,
    edited: bool,
    replaced: bool,
}

/// The values of one side of a resource change.
struct Attrs {
    /// Known when the plan is made.
    known: Map<String, Value>,
    /// Computed by the provider: known for an existing resource, unknown for a new one.
    computed: Map<String, Value>,
}

impl Attrs {
    /// The values of an existing resource: everything known.
    fn existing(self) -> Value {
        let mut all = self.known;
        all.extend(self.computed);
        Value::Object(all)
    }

    /// The values of a resource to be created, and its `after_unknown`.
    fn planned(self) -> (Value, Value) {
        let unknown = self
            .computed
            .into_iter()
            .map(|(k, _)| (k, Value::Bool(true)))
            .collect();
        (Value::Object(self.known), Value::Object(unknown))
    }
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

impl PlanResource {
    fn random(rng: &mut Rng, unit: usize) -> PlanResource {
        let kind = match rng.below(20) {
            0..3 => PlanKind::SecurityGroup,
            3..6 => PlanKind::SecurityGroupRule,
            6..9 => PlanKind::Bucket,
            9..12 => PlanKind::IamPolicy,
            12..14 => PlanKind::DbInstance,
            14..18 => PlanKind::Instance,
            _ => PlanKind::EbsVolume,
        };
        let stem = match kind {
            PlanKind::SecurityGroup | PlanKind::SecurityGroupRule => {
                rng.pick(&["web", "api", "worker", "bastion", "cache"])
            }
            PlanKind::Bucket | PlanKind::PublicAccessBlock => {
                rng.pick(&["logs", "assets", "backups", "artifacts", "exports"])
            }
            PlanKind::IamPolicy => rng.pick(&["reader", "writer", "deployer", "auditor", "ingest"]),
            PlanKind::DbInstance => rng.pick(&["orders", "users", "billing", "events", "catalog"]),
            PlanKind::Instance => rng.pick(&["app", "batch", "gateway", "indexer", "proxy"]),
            PlanKind::EbsVolume => rng.pick(&["data", "scratch", "journal", "cache", "spool"]),
        };
        let classes = if kind == PlanKind::DbInstance {
            DB_CLASSES
        } else {
            EC2_TYPES
        };
        PlanResource {
            kind,
            name: format!("{stem}_{unit:04}"),
            stem,
            env: rng.pick(ENVS),
            team: rng.pick(TEAMS),
            size: 20 + 10 * rng.below(20) as u64,
            grow: 10 * (1 + rng.below(5) as u64),
            port: SERVICE_PORTS[rng.below(SERVICE_PORTS.len())],
            class: rng.pick(classes),
            class2: rng.pick(classes),
            net: 10 + rng.below(200) as u8,
            variant: rng.below(4) as u8,
            hex: format!("0{:016x}", rng.next()),
            secret: format!("synth-{:016x}", rng.next()),
        }
    }

    /// The `resource_changes[]` entry for `act`; `risky` says whether the resource the
    /// change leaves (or, for a delete, the one it removes) has a risky setting.
    fn change(&self, rng: &mut Rng, act: Act, risky: bool) -> Value {
        let side = |risky, edited, replaced| Side {
            risky,
            edited,
            replaced,
        };
        let mut replace_paths = None;
        let (before, after, after_unknown) = match act {
            Act::Create => {
                let (after, unknown) = self.attrs(side(risky, false, false)).planned();
                (Value::Null, after, unknown)
            }
            Act::Update => {
                // A third of the risky updates keep a setting the resource already had.
                let was_risky = risky && rng.below(3) == 0;
                let before = self.attrs(side(was_risky, false, false)).existing();
                let mut after = self.attrs(side(risky, true, false)).existing();
                // An update in place cannot change what forces a replacement.
                for pointer in self.kind.forces_new() {
                    if let (Some(old), Some(new)) =
                        (before.pointer(pointer), after.pointer_mut(pointer))
                    {
                        *new = old.clone();
                    }
                }
                (before, after, json!({}))
            }
            Act::Delete => {
                let before = self.attrs(side(risky, false, false)).existing();
                (before, Value::Null, Value::Bool(false))
            }
            Act::Replace => {
                let before = self.attrs(side(false, false, false)).existing();
                let (after, unknown) = self.attrs(side(risky, true, true)).planned();
                let differs = |p: &str| matches!((before.pointer(p), after.pointer(p)), (Some(b), Some(a)) if a != b);
                let paths: Vec<Value> = self
                    .kind
                    .forces_new()
                    .iter()
                    .filter(|p| differs(p))
                    .map(|p| {
                        p[1..]
                            .split('/')
                            .map(|step| {
                                step.parse::<u64>()
                                    .map_or_else(|_| json!(step), Value::from)
                            })
                            .collect()
                    })
                    .collect();
                replace_paths = Some(paths);
                (before, after, unknown)
            }
        };
        let actions: &[&str] = match act {
            Act::Create => &["create"],
            Act::Update => &["update"],
            Act::Delete => &["delete"],
            Act::Replace => &["delete", "create"],
        };
        let mut sensitive = json!({ "tags": {}, "tags_all": {} });
        if self.kind == PlanKind::DbInstance {
            sensitive["password"] = Value::Bool(true);
        }
        let mask = |v: &Value| {
            if v.is_null() {
                Value::Bool(false)
            } else {
                sensitive.clone()
            }
        };
        let mut change = json!({
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": after_unknown,
            "before_sensitive": mask(&before),
            "after_sensitive": mask(&after),
        });
        let mut rc = json!({
            "address": format!("{}.{}", self.kind.type_name(), self.name),
            "mode": "managed",
            "type": self.kind.type_name(),
            "name": self.name,
            "provider_name": PROVIDER,
        });
        match act {
            Act::Delete => rc["action_reason"] = json!("delete_because_no_resource_config"),
            Act::Replace => rc["action_reason"] = json!("replace_because_cannot_update"),
            _ => {}
        }
        if let Some(paths) = replace_paths {
            change["replace_paths"] = Value::Array(paths);
        }
        rc["change"] = change;
        rc
    }

    /// The attribute values of this resource on one side of a change.
    fn attrs(&self, side: Side) -> Attrs {
        let Side {
            risky,
            edited,
            replaced,
        } = side;
        let dashed = self.name.replace('_', "-");
        let (env, team, hex) = (self.env, self.team, &self.hex);
        let v2 = if replaced { "-v2" } else { "" };
        let size = if edited {
            self.size + self.grow
        } else {
            self.size
        };
        let class = if edited { self.class2 } else { self.class };
        let mut tags = json!({ "Name": dashed, "Environment": env, "Team": team });
        if edited {
            tags["DataClass"] = json!("internal");
        }
        let mut tags_all = tags.clone();
        // The provider's `default_tags`.
        tags_all["ManagedBy"] = json!("terraform");
        tags_all["Owner"] = json!(format!("{team}@acme.example"));
        let vpc = match env {
            "prod" => "vpc-0a1b2c3d4e5f60718",
            "staging" => "vpc-0b2c3d4e5f6071829",
            _ => "vpc-0c3d4e5f607182939",
        };
        let internal = format!("10.{}.0.0/16", self.net);
        let kms = format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/{}", uuid_like(hex));
        let rule = |description: &str, port: u64, cidr: &str| {
            json!({
                "cidr_blocks": [cidr],
                "description": description,
                "from_port": port,
                "ipv6_cidr_blocks": [],
                "prefix_list_ids": [],
                "protocol": "tcp",
                "security_groups": [],
                "self": false,
                "to_port": port,
            })
        };
        let (known, computed) = match self.kind {
            PlanKind::SecurityGroup => {
                let mut ingress = vec![rule(
                    "service port from the VPC",
                    self.port.into(),
                    &internal,
                )];
                if edited {
                    ingress.push(rule("health checks", 8000 + size, &internal));
                }
                if risky {
                    ingress.push(rule("ssh for debugging", 22, "0.0.0.0/0"));
                }
                (
                    json!({
                        "description": format!("{team} traffic for {env}"),
                        "egress": [{
                            "cidr_blocks": ["0.0.0.0/0"],
                            "description": "",
                            "from_port": 0,
                            "ipv6_cidr_blocks": [],
                            "prefix_list_ids": [],
                            "protocol": "-1",
                            "security_groups": [],
                            "self": false,
                            "to_port": 0,
                        }],
                        "ingress": ingress,
                        "name": format!("{dashed}-{env}{v2}"),
                        "revoke_rules_on_delete": false,
                        "tags": tags,
                        "tags_all": tags_all,
                        "timeouts": null,
                        "vpc_id": vpc,
                    }),
                    json!({
                        "arn": format!("arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-{hex}"),
                        "id": format!("sg-{hex}"),
                        "name_prefix": "",
                        "owner_id": ACCOUNT,
                    }),
                )
            }
            PlanKind::SecurityGroupRule => {
                let (port, cidr) = match (risky, replaced) {
                    (true, _) => (22, "0.0.0.0/0".to_string()),
                    (false, false) => (u64::from(self.port), internal),
                    (false, true) => (
                        u64::from(self.port),
                        format!("10.{}.0.0/16", self.net.wrapping_add(1)),
                    ),
                };
                let description = if edited {
                    format!("{team} service port (reviewed)")
                } else {
                    format!("{team} service port")
                };
                (
                    json!({
                        "cidr_blocks": [cidr],
                        "description": description,
                        "from_port": port,
                        "ipv6_cidr_blocks": null,
                        "prefix_list_ids": null,
                        "protocol": "tcp",
                        "security_group_id": format!("sg-{}", rotate(hex)),
                        "self": false,
                        "timeouts": null,
                        "to_port": port,
                        "type": "ingress",
                    }),
                    json!({
                        "id": format!("sgrule-{}", u64::from_str_radix(&hex[1..9], 16).unwrap_or(0)),
                        "security_group_rule_id": format!("sgr-{hex}"),
                        "source_security_group_id": null,
                    }),
                )
            }
            PlanKind::Bucket => {
                let bucket = format!("acme-{dashed}-{env}{v2}");
                (
                    json!({
                        "acl": if risky { "public-read" } else { "private" },
                        "bucket": bucket,
                        "force_destroy": false,
                        "object_lock_enabled": false,
                        "tags": tags,
                        "tags_all": tags_all,
                        "timeouts": null,
                    }),
                    json!({
                        "arn": format!("arn:aws:s3:::{bucket}"),
                        "bucket_domain_name": format!("{bucket}.s3.amazonaws.com"),
                        "bucket_prefix": "",
                        "bucket_regional_domain_name": format!("{bucket}.s3.{REGION}.amazonaws.com"),
                        "hosted_zone_id": "Z1BKCTXD74EZPE",
                        "id": bucket,
                        "region": REGION,
                        "request_payer": "BucketOwner",
                        "server_side_encryption_configuration": [{
                            "rule": [{
                                "apply_server_side_encryption_by_default": [{
                                    "kms_master_key_id": "",
                                    "sse_algorithm": "AES256",
                                }],
                                "bucket_key_enabled": false,
                            }],
                        }],
                        "versioning": [{ "enabled": false, "mfa_delete": false }],
                    }),
                )
            }
            PlanKind::PublicAccessBlock => {
                let bucket = format!("acme-{dashed}-{env}{v2}");
                (
                    json!({
                        "block_public_acls": !risky,
                        "block_public_policy": !risky,
                        "bucket": bucket,
                        "ignore_public_acls": !risky,
                        "restrict_public_buckets": !risky,
                    }),
                    json!({ "id": bucket }),
                )
            }
            PlanKind::IamPolicy => {
                let name = format!("{dashed}-{env}{v2}");
                let bucket = format!("arn:aws:s3:::acme-{dashed}-{env}");
                let (action, resource) = match (risky, edited) {
                    (true, _) => (json!("*"), json!("*")),
                    (false, true) => (
                        json!(["s3:GetObject", "s3:ListBucket", "s3:PutObject"]),
                        json!([bucket, format!("{bucket}/*")]),
                    ),
                    (false, false) => (
                        json!(["s3:GetObject", "s3:ListBucket"]),
                        json!([bucket, format!("{bucket}/*")]),
                    ),
                };
                let document = json!({
                    "Statement": [{
                        "Action": action,
                        "Effect": "Allow",
                        "Resource": resource,
                        "Sid": "S3Access",
                    }],
                    "Version": "2012-10-17",
                });
                (
                    json!({
                        "description": format!("S3 access for {team} in {env}"),
                        "name": name,
                        "path": "/",
                        "policy": document.to_string(),
                        "tags": tags,
                        "tags_all": tags_all,
                    }),
                    json!({
                        "arn": format!("arn:aws:iam::{ACCOUNT}:policy/{name}"),
                        "attachment_count": 0,
                        "id": format!("arn:aws:iam::{ACCOUNT}:policy/{name}"),
                        "name_prefix": "",
                        "policy_id": format!("ANPA{}", hex.to_uppercase()),
                    }),
                )
            }
            PlanKind::DbInstance => {
                let identifier = format!("{dashed}-{env}{v2}");
                let encrypted = !(risky && self.variant % 2 == 1);
                let address = format!("{identifier}.c{}.{REGION}.rds.amazonaws.com", &hex[5..17]);
                (
                    json!({
                        "allocated_storage": size,
                        "apply_immediately": false,
                        "auto_minor_version_upgrade": true,
                        "backup_retention_period": 7,
                        "backup_window": "03:00-04:00",
                        "copy_tags_to_snapshot": true,
                        "db_name": self.stem,
                        "db_subnet_group_name": format!("{env}-db"),
                        "deletion_protection": edited || env == "prod",
                        "engine": "postgres",
                        "engine_version": "15.4",
                        "final_snapshot_identifier": format!("{identifier}-final"),
                        "iam_database_authentication_enabled": false,
                        "identifier": identifier,
                        "instance_class": class,
                        "maintenance_window": "sun:04:30-sun:05:30",
                        "max_allocated_storage": size * 4,
                        "monitoring_interval": 0,
                        "multi_az": env == "prod",
                        "parameter_group_name": "default.postgres15",
                        "password": self.secret,
                        "performance_insights_enabled": edited,
                        "port": 5432,
                        "publicly_accessible": risky,
                        "skip_final_snapshot": false,
                        "storage_encrypted": encrypted,
                        "storage_type": "gp3",
                        "tags": tags,
                        "tags_all": tags_all,
                        "timeouts": null,
                        "username": "app_admin",
                        "vpc_security_group_ids": [format!("sg-{}", rotate(hex))],
                    }),
                    json!({
                        "address": address,
                        "arn": format!("arn:aws:rds:{REGION}:{ACCOUNT}:db:{identifier}"),
                        "availability_zone": format!("{REGION}a"),
                        "endpoint": format!("{address}:5432"),
                        "hosted_zone_id": "Z29XKXDKYMONMX",
                        "id": format!("db-{}", hex.to_uppercase()),
                        "kms_key_id": if encrypted { kms } else { String::new() },
                        "latest_restorable_time": "2024-11-14T21:55:00Z",
                        "resource_id": format!("db-{}", hex.to_uppercase()),
                        "status": "available",
                    }),
                )
            }
            PlanKind::Instance => {
                let zone = ["a", "b", "c"][usize::from(self.net % 3)];
                let ami = if replaced {
                    "ami-0e1f2a3b4c5d6e7f8"
                } else {
                    "ami-0d0c0b0a090807060"
                };
                (
                    json!({
                        "ami": ami,
                        "associate_public_ip_address": false,
                        "ebs_optimized": edited,
                        "instance_type": class,
                        "metadata_options": [{
                            "http_endpoint": "enabled",
                            "http_put_response_hop_limit": 1,
                            "http_tokens": if risky && self.variant % 2 == 1 { "optional" } else { "required" },
                            "instance_metadata_tags": "disabled",
                        }],
                        "monitoring": true,
                        "root_block_device": [{
                            "delete_on_termination": true,
                            "encrypted": !risky,
                            "tags": null,
                            "volume_size": size,
                            "volume_type": "gp3",
                        }],
                        "subnet_id": format!("subnet-0{zone}{}", &hex[2..17]),
                        "tags": tags,
                        "tags_all": tags_all,
                        "timeouts": null,
                        "user_data_replace_on_change": false,
                        "vpc_security_group_ids": [format!("sg-{}", rotate(hex))],
                    }),
                    json!({
                        "arn": format!("arn:aws:ec2:{REGION}:{ACCOUNT}:instance/i-{hex}"),
                        "availability_zone": format!("{REGION}{zone}"),
                        "id": format!("i-{hex}"),
                        "instance_state": "running",
                        "primary_network_interface_id": format!("eni-{}", rotate(hex)),
                        "private_ip": format!("10.{}.{}.{}", self.net, self.size % 250, 4 + self.grow),
                        "public_ip": "",
                    }),
                )
            }
            PlanKind::EbsVolume => {
                let encrypted = !risky;
                (
                    json!({
                        "availability_zone": format!("{REGION}{}", if replaced { "b" } else { "a" }),
                        "encrypted": encrypted,
                        "final_snapshot": false,
                        "iops": if edited { 4000 } else { 3000 },
                        "multi_attach_enabled": false,
                        "size": size,
                        "tags": tags,
                        "tags_all": tags_all,
                        "throughput": if edited { 250 } else { 125 },
                        "timeouts": null,
                        "type": "gp3",
                    }),
                    json!({
                        "arn": format!("arn:aws:ec2:{REGION}:{ACCOUNT}:volume/vol-{hex}"),
                        "id": format!("vol-{hex}"),
                        "kms_key_id": if encrypted { kms } else { String::new() },
                        "outpost_arn": "",
                        "snapshot_id": "",
                    }),
                )
            }
        };
        Attrs {
            known: object(known),
            computed: object(computed),
        }
    }
}

/// Another id derived from `hex` (17 hex digits): its digits rotated.
fn rotate(hex: &str) -> String {
    format!("{}{}", &hex[9..], &hex[..9])
}

/// A UUID-shaped key id derived from `hex`.
fn uuid_like(hex: &str) -> String {
    let h = format!("{hex}{}", rotate(hex));
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_plan_and_it_loads() {
        let spec = TerraformPlan {
            resources: 400,
            seed: 9,
        };
        let plan = plan_json(&spec);
        assert_eq!(plan, plan_json(&spec));
        assert_ne!(plan, plan_json(&TerraformPlan { seed: 10, ..spec }));
        let bytes = serde_json::to_vec(&plan).unwrap();
        let change = crate::source::plan::parse(&bytes, "plan.json").unwrap();
        assert_eq!(
            change.hunk_count(),
            spec.resources,
            "one hunk per resource change"
        );
        let summary = change.plan.clone().unwrap();
        assert!(summary.create > summary.update && summary.update > summary.delete);
        assert!(summary.delete > 0 && summary.replace > 0);
        assert_eq!(
            summary.create + summary.update + summary.delete + summary.replace,
            spec.resources
        );
        let planned = plan["planned_values"]["root_module"]["resources"]
            .as_array()
            .unwrap();
        assert_eq!(planned.len(), spec.resources - summary.delete);
        let configured = plan["configuration"]["root_module"]["resources"]
            .as_array()
            .unwrap();
        assert_eq!(configured.len(), planned.len());
        // Database passwords are in the plan, marked sensitive, and never in the model.
        let secret = plan["resource_changes"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|rc| rc["change"]["after"]["password"].as_str())
            .unwrap();
        assert!(
            change
                .hunks()
                .flat_map(|(_, h)| &h.lines)
                .all(|l| !l.text_lossy().contains(secret))
        );
    }

    #[test]
    fn plans_mix_types_and_risky_settings() {
        let plan = plan_json(&TerraformPlan {
            resources: 400,
            seed: 4,
        });
        let changes = plan["resource_changes"].as_array().unwrap();
        for kind in PlanKind::ALL {
            assert!(
                changes.iter().any(|rc| rc["type"] == kind.type_name()),
                "{kind:?}"
            );
        }
        let text = plan.to_string();
        assert!(text.contains(
            r#""cidr_blocks":["0.0.0.0/0"],"description":"ssh for debugging","from_port":22"#
        ));
        assert!(text.contains(r#"\"Action\":\"*\""#));
        assert!(text.contains(r#""publicly_accessible":true"#));
        assert!(text.contains(r#""storage_encrypted":false"#));
        assert!(text.contains(r#""acl":"public-read""#));
        assert!(text.contains(r#""replace_paths":[["#));
        let after_text = |rc: &Value| rc["change"]["after"].to_string();
        let risky = changes
            .iter()
            .filter(|rc| {
                let a = after_text(rc);
                a.contains("0.0.0.0/0\"],\"description\":\"ssh")
                    || a.contains(r#"\"Action\":\"*\""#)
                    || a.contains(r#""publicly_accessible":true"#)
                    || a.contains(r#""encrypted":false"#)
                    || a.contains(r#""acl":"public-read""#)
                    || a.contains(r#""block_public_acls":false"#)
            })
            .count();
        assert!((20..=70).contains(&risky), "{risky} risky of 400");
    }
}
