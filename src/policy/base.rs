//! What of a changed file's base needs evaluating to tell which head findings were already
//! there (pre-existing: a base finding with the same rule, resource and message).
//!
//! Only the rules that can repeat a head finding run at the base
//! ([`Engine::rules_for_base`]). A resource-local rule ([`super::families::ResourceLocal`])
//! gives, on a Terraform block the change left as it was, exactly what it gave at the head, as
//! long as the change left its context blocks alone: it runs only on the edited blocks that its
//! head findings are about (with the context blocks), and its head findings on the others count
//! as found at the base too. The other rules run on the whole base.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::engine::Engine;
use super::finding::Finding;
use super::input::hcl_delta::{BlockChanges, insert_block};

/// What to evaluate of one base document, given the head document's findings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BasePlan {
    /// Rules to evaluate on the whole base document.
    pub whole: Vec<usize>,
    /// Resource-local rules to evaluate on the base reduced to the edited blocks their head
    /// findings are about, and that reduced document; `None` when there is nothing to evaluate.
    pub edited: Option<(Value, Vec<usize>)>,
    /// Indexes of the head findings that the base has unchanged: those of resource-local
    /// rules on blocks the change did not touch.
    pub unchanged: Vec<usize>,
}

/// The rules that can repeat `findings` (each with the index of its rule) at the base
/// ([`Engine::rules_for_base`]).
pub fn rules_to_repeat<'a>(
    engine: &Engine,
    findings: impl IntoIterator<Item = &'a (usize, Finding)>,
) -> Vec<usize> {
    let found: Vec<(usize, &str)> = findings
        .into_iter()
        .map(|(i, f)| (*i, f.rule.as_str()))
        .collect();
    engine.rules_for_base(&found)
}

/// A file's base document: whole, or told by the blocks that make it out of its head's
/// ([`crate::policy::input::hcl_delta`]), so that the base's unchanged blocks are not parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum BaseDocument {
    /// The base parsed whole.
    Whole(Value),
    /// The head's document with these blocks removed and added.
    Changed(BlockChanges),
}

impl BaseDocument {
    /// The whole document, given the `head`'s.
    pub fn value<'a>(&'a self, head: &Value) -> Cow<'a, Value> {
        match self {
            BaseDocument::Whole(value) => Cow::Borrowed(value),
            BaseDocument::Changed(changes) => Cow::Owned(changes.apply(head)),
        }
    }

    /// Its blocks by address (see [`blocks`]), given the head's.
    fn blocks<'a>(
        &'a self,
        head_blocks: &BTreeMap<String, Block<'a>>,
    ) -> Option<BTreeMap<String, Block<'a>>> {
        match self {
            BaseDocument::Whole(value) => blocks(value),
            BaseDocument::Changed(changes) => {
                let mut out = head_blocks.clone();
                for (kind, type_name, name) in &changes.removed {
                    out.remove(&address(kind, type_name, name));
                }
                for ((kind, type_name, name), value) in &changes.added {
                    let block = Block {
                        kind,
                        type_name,
                        name,
                        value,
                    };
                    out.insert(address(kind, type_name, name), block);
                }
                Some(out)
            }
        }
    }
}

/// Plans the evaluation of the `base` document of a file whose `head` document gave
/// `findings` (each with the index of its rule).
pub fn plan(
    engine: &Engine,
    head: &Value,
    findings: &[(usize, Finding)],
    base: &BaseDocument,
) -> BasePlan {
    let rules = rules_to_repeat(engine, findings);
    let Some((head_blocks, base_blocks)) =
        blocks(head).and_then(|h| base.blocks(&h).map(|b| (h, b)))
    else {
        return BasePlan {
            whole: rules,
            ..BasePlan::default()
        };
    };
    let on_a_head_block = |f: &Finding| {
        f.resource
            .as_deref()
            .is_some_and(|a| head_blocks.contains_key(a))
    };
    let same = |address: &str| head_blocks.get(address) == base_blocks.get(address);
    let of_types = |types: &[&str], block: &Block| types.contains(&block.type_name);
    // The blocks of `types` are the same at the base and the head.
    let context_kept = |types: &[&str]| {
        head_blocks
            .iter()
            .chain(&base_blocks)
            .all(|(address, block)| !of_types(types, block) || same(address))
    };
    // A rule is split only when the change left its context blocks alone and every head
    // finding it gave is about a block of the head.
    let (local, whole): (Vec<usize>, Vec<usize>) = rules.into_iter().partition(|&r| {
        engine.resource_local(r).is_some_and(|l| {
            context_kept(l.context)
                && findings
                    .iter()
                    .filter(|(i, _)| *i == r)
                    .all(|(_, f)| on_a_head_block(f))
        })
    });
    let unchanged = findings
        .iter()
        .enumerate()
        .filter(|(_, (i, f))| local.contains(i) && f.resource.as_deref().is_some_and(&same))
        .map(|(k, _)| k)
        .collect();
    let context: Vec<&str> = local
        .iter()
        .filter_map(|&r| engine.resource_local(r))
        .flat_map(|l| l.context.iter().copied())
        .collect();
    // A base finding of a resource-local rule is about the block that gave it: only the
    // edited blocks that a head finding of those rules is about can repeat one (a removed
    // block, or an edited one without such a finding, cannot).
    let about: BTreeSet<&str> = findings
        .iter()
        .filter(|(i, _)| local.contains(i))
        .filter_map(|(_, f)| f.resource.as_deref())
        .filter(|address| !same(address))
        .collect();
    let edited = base_blocks.keys().any(|a| about.contains(a.as_str()));
    let keep: Vec<&Block> = base_blocks
        .iter()
        .filter(|(address, block)| about.contains(address.as_str()) || of_types(&context, block))
        .map(|(_, block)| block)
        .collect();
    // The keys besides `resource` and `data` are the same at the head when the base is told
    // by its blocks.
    let others = match base {
        BaseDocument::Whole(value) => value,
        BaseDocument::Changed(_) => head,
    };
    BasePlan {
        whole,
        edited: (!local.is_empty() && edited).then(|| (reduced(others, &keep), local)),
        unchanged,
    }
}

/// A `resource` or `data` block of a Terraform document.
#[derive(Debug, Clone, PartialEq)]
struct Block<'a> {
    /// `resource` or `data`.
    kind: &'a str,
    /// Its type, e.g. `aws_s3_bucket`.
    type_name: &'a str,
    /// Its name.
    name: &'a str,
    /// Its value: conftest's list of bodies, one per block of that type and name.
    value: &'a Value,
}

/// The blocks of a Terraform document in conftest's HCL shape (`resource.<type>.<name>`,
/// `data.<type>.<name>`) by address (`type.name`, `data.type.name`): empty for a document
/// without either key, `None` when one is there in another shape.
fn blocks(doc: &Value) -> Option<BTreeMap<String, Block<'_>>> {
    let mut out = BTreeMap::new();
    for kind in ["resource", "data"] {
        let Some(types) = doc.get(kind) else {
            continue;
        };
        for (type_name, named) in types.as_object()? {
            for (name, value) in named.as_object()? {
                let address = address(kind, type_name, name);
                let block = Block {
                    kind,
                    type_name,
                    name,
                    value,
                };
                out.insert(address, block);
            }
        }
    }
    Some(out)
}

/// The address of a block: `type.name`, `data.type.name`.
fn address(kind: &str, type_name: &str, name: &str) -> String {
    match kind {
        "data" => format!("data.{type_name}.{name}"),
        _ => format!("{type_name}.{name}"),
    }
}

/// `doc` with only the blocks `keep` under `resource` and `data` (the other keys as they are).
fn reduced(doc: &Value, keep: &[&Block]) -> Value {
    let mut out: Map<String, Value> = doc
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "resource" | "data"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    for block in keep {
        insert_block(
            &mut out,
            block.kind,
            block.type_name,
            block.name,
            block.value.clone(),
        );
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::engine::input_value;
    use crate::policy::input::hcl::load_with_items;
    use crate::policy::input::hcl_delta::block_changes;
    use crate::policy::input::{self, Format, corpus};
    use crate::synth::repo::{TerraformChange, file_pair};

    fn findings(engine: &Engine, doc: &Value, only: &[usize]) -> Vec<(usize, Finding)> {
        engine
            .evaluate_rules(input_value(doc), only)
            .into_iter()
            .filter_map(|o| match o {
                crate::policy::engine::Outcome::Result { rule, value } => Some((
                    rule,
                    Finding::from_result(&engine.rules()[rule], &value, "x.tf"),
                )),
                crate::policy::engine::Outcome::Error { .. } => None,
            })
            .collect()
    }

    fn keys(findings: &[(usize, Finding)]) -> Vec<String> {
        let mut keys: Vec<String> = findings
            .iter()
            .map(|(_, f)| format!("{:?}", f.key()))
            .collect();
        keys.sort();
        keys
    }

    fn hcl(text: &str) -> Value {
        input::load(Format::Hcl, text, "x.tf")
            .unwrap()
            .remove(0)
            .value
    }

    /// Checks that on `doc` every finding of the rules `local` (whose context is `context`)
    /// names a block, and that each block evaluated with only the context blocks gives the
    /// same findings on it; returns the numbers of blocks and findings.
    fn assert_local(
        engine: &Engine,
        (local, context): (&[usize], &[&str]),
        doc: &Value,
        name: &str,
    ) -> (usize, usize) {
        let all = blocks(doc).unwrap_or_else(|| panic!("{name}: no blocks"));
        let whole = findings(engine, doc, local);
        for (_, f) in &whole {
            let address = f.resource.as_deref().unwrap_or_default();
            assert!(all.contains_key(address), "{name}: {f:?}");
        }
        let context: Vec<&Block> = all
            .values()
            .filter(|b| context.contains(&b.type_name))
            .collect();
        for (address, block) in &all {
            let mut keep = context.clone();
            keep.push(block);
            let alone = findings(engine, &reduced(doc, &keep), local);
            let on = |found: &[(usize, Finding)]| -> Vec<(usize, Finding)> {
                found
                    .iter()
                    .filter(|(_, f)| f.resource.as_deref() == Some(address.as_str()))
                    .cloned()
                    .collect()
            };
            assert_eq!(keys(&on(&alone)), keys(&on(&whole)), "{name}: {address}");
        }
        (all.len(), whole.len())
    }

    /// Every resource-local package's rules, on every Terraform file of the corpus and on one
    /// document holding all their blocks (the first of each address), where a rule that
    /// reads another block than the one it reports (an encryption default, a bucket's separate
    /// configuration) meets many blocks it would change.
    #[test]
    fn resource_local_rules_are_local_on_the_corpus() {
        let engine = Engine::builtin();
        let groups: Vec<(Vec<usize>, &[&str])> = crate::policy::families::RESOURCE_LOCAL
            .iter()
            .map(|l| {
                let rules = (0..engine.rules().len())
                    .filter(|&r| engine.resource_local(r) == Some(l))
                    .collect();
                (rules, l.context)
            })
            .collect();
        assert!(groups.iter().all(|(rules, _)| !rules.is_empty()));
        let docs: Vec<(String, Value)> = corpus::files("", &[".tf"])
            .iter()
            .filter_map(|path| {
                let text = std::fs::read_to_string(path).ok()?;
                let mut docs = input::load(Format::Hcl, &text, "x.tf").ok()?;
                Some((path.display().to_string(), docs.remove(0).value))
            })
            .collect();
        let mut every: BTreeMap<String, Block> = BTreeMap::new();
        for (_, doc) in &docs {
            for (address, block) in blocks(doc).unwrap() {
                every.entry(address).or_insert(block);
            }
        }
        let together = reduced(&Value::Null, &every.values().collect::<Vec<_>>());
        for (rules, context) in &groups {
            let (mut blocks_seen, mut findings_seen) = (0, 0);
            for (name, doc) in &docs {
                let (b, f) = assert_local(&engine, (rules, context), doc, name);
                blocks_seen += b;
                findings_seen += f;
            }
            assert!(blocks_seen > 800, "{blocks_seen} blocks");
            assert!(findings_seen > 5, "{context:?}: {findings_seen} findings");
            assert_local(
                &engine,
                (rules, context),
                &together,
                "all the corpus's blocks",
            );
        }
    }

    /// Which head findings the planned base evaluation finds again, against evaluating the
    /// rules that can repeat them on the whole base.
    /// The base document is planned both whole and, when it can be told so, by its block
    /// changes: both plans mark the same findings.
    fn pre_existing(engine: &Engine, head_text: &str, base_text: &str) -> (Vec<bool>, Vec<bool>) {
        let (head, base) = (hcl(head_text), hcl(base_text));
        let every: Vec<usize> = (0..engine.rules().len()).collect();
        let found = findings(engine, &head, &every);
        let reference = findings(engine, &base, &rules_to_repeat(engine, &found));
        let marks = |base: &[(usize, Finding)]| -> Vec<bool> {
            found
                .iter()
                .map(|(_, f)| base.iter().any(|(_, b)| b.key() == f.key()))
                .collect()
        };
        let (_, items) = load_with_items(head_text, "x.tf").unwrap();
        let changed = block_changes(head_text, &items, &head, base_text);
        let mut bases = vec![BaseDocument::Whole(base)];
        bases.extend(changed.map(BaseDocument::Changed));
        let planned: Vec<Vec<bool>> = bases
            .iter()
            .map(|base| {
                let plan = plan(engine, &head, &found, base);
                let mut planned = findings(engine, &base.value(&head), &plan.whole);
                if let Some((doc, rules)) = &plan.edited {
                    planned.extend(findings(engine, doc, rules));
                }
                planned.extend(plan.unchanged.iter().map(|&k| found[k].clone()));
                marks(&planned)
            })
            .collect();
        assert!(planned.iter().all(|p| *p == planned[0]), "{planned:?}");
        (planned[0].clone(), marks(&reference))
    }

    #[test]
    fn planned_base_marks_what_the_whole_base_marks_on_synthetic_changes() {
        let engine = Engine::builtin();
        let spec = TerraformChange {
            files: 12,
            blocks_per_file: 20,
            edited_per_file: 6,
            seed: 11,
        };
        let (mut found, mut old) = (0, 0);
        for f in 0..spec.files {
            let (base, head) = file_pair(&spec, f);
            let (planned, reference) = pre_existing(&engine, &head, &base);
            assert_eq!(planned, reference, "file {f}");
            found += planned.len();
            old += planned.iter().filter(|&&m| m).count();
        }
        assert!(
            old > 20 && found - old > 20,
            "{old} of {found} pre-existing"
        );
    }

    #[test]
    fn removed_renamed_and_cross_resource_blocks() {
        let engine = Engine::builtin();
        let open = |name: &str, cidr: &str| {
            format!(
                "resource \"aws_security_group\" \"{name}\" {{\n  ingress {{\n    from_port = 22\n    to_port = 22\n    protocol = \"tcp\"\n    cidr_blocks = [\"{cidr}\"]\n  }}\n}}\n"
            )
        };
        let bucket = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n";
        let sse = "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"e\" {\n  bucket = aws_s3_bucket.b.id\n}\n";
        let volume = "resource \"aws_ebs_volume\" \"v\" {\n  size = 8\n}\n";
        let default = "resource \"aws_ebs_encryption_by_default\" \"d\" {\n  enabled = true\n}\n";
        let cases = [
            // unchanged, edited (still open), renamed, removed
            (
                format!(
                    "{}{}{}",
                    open("a", "0.0.0.0/0"),
                    open("b", "::/0"),
                    open("c2", "0.0.0.0/0")
                ),
                format!(
                    "{}{}{}{}",
                    open("a", "0.0.0.0/0"),
                    open("b", "0.0.0.0/0"),
                    open("c", "0.0.0.0/0"),
                    open("d", "0.0.0.0/0")
                ),
            ),
            // an encryption configuration removed: the bucket, unchanged, loses encryption
            (bucket.to_string(), format!("{bucket}{sse}")),
            (format!("{bucket}{sse}"), bucket.to_string()),
            // the account's default encryption removed: the volume, unchanged, is unencrypted
            (volume.to_string(), format!("{volume}{default}")),
        ];
        for (head, base) in &cases {
            let (planned, reference) = pre_existing(&engine, head, base);
            assert_eq!(planned, reference, "{head}");
            assert!(!planned.is_empty());
        }
    }
}
