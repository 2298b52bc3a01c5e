//! The vendored regorus resolves each call site once per evaluation (see
//! `vendor/README.md`). These tests pin what that must not change: a `with` override of a
//! function still reaches a call site already resolved, the same name means different
//! functions in different packages, import aliases resolve, call statements with an output
//! argument bind it, a function with two definitions answers from both, and rules with
//! multi-part references build their objects, evaluation after evaluation, clone after clone;
//! and a function added after an evaluation takes over its name (the caches are per evaluation).

use regorus::Value;

const LIB: &str = r#"
package lib

double(x) := x * 2

name(_) := "lib"

pick(x) := "one" if x == 1

pick(x) := "two" if x == 2
"#;

const MAIN: &str = r#"
package main

import data.lib
import data.lib as alias

name(_) := "main"

mock(x) := x * 10

looped := [y | some x in [1, 2, 3]; y := lib.double(x)]

mocked := v if {
	v := looped with data.lib.double as mock
}

names := [name(1), lib.name(1), alias.name(1)]

picks := [p | some x in [1, 2]; p := lib.pick(x)]

groups.admins.members := ["ana"]

groups.empty.members := ["nobody"] if false

counts := [n | some s in ["a", "bb", "ccc"]; n := count(s)]

bound if {
	some s in ["a", "abc"]
	count(s, out)
	out == 3
}
"#;

const OTHER: &str = r#"
package other

name(_) := "other"

names := [name(1), name(2)]
"#;

fn engine() -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    for (path, text) in [
        ("lib.rego", LIB),
        ("main.rego", MAIN),
        ("other.rego", OTHER),
    ] {
        engine
            .add_policy(path.to_string(), text.to_string())
            .expect("the test policies parse");
    }
    engine
}

fn query(engine: &mut regorus::Engine, query: &str) -> Value {
    let results = engine
        .eval_query(query.to_string(), false)
        .expect("the query evaluates");
    results.result[0].expressions[0].value.clone()
}

fn json(text: &str) -> Value {
    Value::from_json_str(text).expect("valid JSON")
}

#[test]
fn a_with_override_reaches_a_call_site_already_resolved() {
    let mut engine = engine();
    let value = query(
        &mut engine,
        "[data.main.looped, data.main.mocked, data.main.looped]",
    );
    assert_eq!(value, json("[[2, 4, 6], [10, 20, 30], [2, 4, 6]]"));
}

#[test]
fn one_name_calls_each_package_s_own_function() {
    let mut engine = engine();
    let value = query(&mut engine, "[data.main.names, data.other.names]");
    assert_eq!(
        value,
        json(r#"[["main", "lib", "lib"], ["other", "other"]]"#)
    );
}

#[test]
fn builtins_and_output_arguments_resolve_on_every_call() {
    let mut engine = engine();
    let value = query(&mut engine, "[data.main.counts, data.main.bound]");
    assert_eq!(value, json("[[1, 2, 3], true]"));
}

#[test]
fn rules_with_multi_part_references_build_their_objects_on_every_evaluation() {
    let mut engine = engine();
    let mut clone = engine.clone();
    let groups = json(r#"{"admins": {"members": ["ana"]}, "empty": {}}"#);
    for _ in 0..2 {
        assert_eq!(query(&mut engine, "data.main.groups"), groups);
    }
    assert_eq!(query(&mut clone, "data.main.groups"), groups);
}

#[test]
fn a_function_defined_twice_answers_from_both_on_every_evaluation() {
    let mut engine = engine();
    let mut clone = engine.clone();
    for _ in 0..2 {
        assert_eq!(
            query(&mut engine, "data.main.picks"),
            json(r#"["one", "two"]"#)
        );
    }
    assert_eq!(
        query(&mut clone, "data.main.picks"),
        json(r#"["one", "two"]"#)
    );
}

#[test]
fn a_function_added_after_an_evaluation_takes_over_its_name() {
    let mut engine = engine();
    assert_eq!(query(&mut engine, "data.main.counts"), json("[1, 2, 3]"));
    // The builtin `count` was resolved for `counts`; a function of `main` now shadows it.
    engine
        .add_policy(
            "shadow.rego".to_string(),
            "package main\n\ncount(_) := 0\n".to_string(),
        )
        .expect("the added policy parses");
    assert_eq!(query(&mut engine, "data.main.counts"), json("[0, 0, 0]"));
}
