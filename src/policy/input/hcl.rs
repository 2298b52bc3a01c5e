//! Terraform HCL → the JSON document conftest's HCL2 parser gives policies, with a source map.
//!
//! The conversion follows conftest's current HCL2 parser (`tmccombs/hcl2json`):
//!
//! - a body becomes an object: each attribute gives its key its converted value; a block of type
//!   `T` with labels `L1..Ln` is appended, as an object, to the list at `out[T][L1]...[Ln]`, so
//!   every block is wrapped in a list, even a single one (`resource.T.N = [{...}]`,
//!   `ingress = [{...}, {...}]`); as there, attributes are set after blocks (an attribute wins
//!   over blocks of the same name), and blocks of one type with different numbers of labels
//!   (`a {}` and `a "x" {}`), which would need one key to hold both a list and an object, are an
//!   error;
//! - literals become JSON values (`-1` and `!true` included); a string or a template with only
//!   literal parts becomes that string; a template with interpolations becomes its text, each
//!   `${expr}` written `${` + the expression's source + `}`, and template directives written back
//!   as `%{if …}…%{else}…%{endif}` / `%{for …}…%{endfor}`; a string that is a single
//!   interpolation (`"${x}"`) is converted as `x` itself; heredocs become their (dedented, for
//!   `<<-`) content; tuples become arrays and objects objects;
//! - any other expression (references, function calls, conditionals, arithmetic, `for`
//!   expressions, splats, parentheses) becomes `"${" + its exact source text + "}"`.
//!
//! The source map records the root (the whole file), every block (from its type keyword to its
//! closing brace, at its index in its list; the objects made for labels span all the blocks
//! below them; a list of blocks spans all of them), every attribute (`key = value`), every tuple
//! element and every object item (`key = value`).

use std::collections::BTreeMap;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, UnaryOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::{Directive, Element, Template};

use super::{Kind, LineIndex, Node};
use crate::error::Error;
use crate::policy::source_map::{Document, Span};

/// Parses HCL `text` and converts it into the document conftest would give, with its source map.
///
/// Errors: a syntax error, or blocks that cannot be nested (blocks of one type with different
/// numbers of labels), as [`Error::at_line`] on `file`.
pub fn load(text: &str, file: &str) -> crate::Result<Document> {
    load_with_items(text, file).map(|(document, _)| document)
}

/// A top-level block or attribute of an HCL file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The byte offset where it begins (its first keyword, after any comment before it).
    pub start: usize,
    /// For a `resource` or `data` block with a type and a name, its address in the document.
    pub address: Option<Address>,
}

/// Where a `resource` or `data` block lives in a document: `resource`/`data`, type, name
/// (`input.resource.<type>.<name>`).
pub type Address = (String, String, String);

/// [`load`], and the file's top-level items in order.
pub fn load_with_items(text: &str, file: &str) -> crate::Result<(Document, Vec<Item>)> {
    let body = hcl_edit::parser::parse_body(text).map_err(|err| {
        let line = err.location().line().max(1);
        let message = err.message().replace('\n', " ");
        Error::at_line(file, line, format!("HCL syntax error: {message}"))
    })?;
    let items = body
        .iter()
        .filter_map(|structure| {
            let start = structure.span()?.start;
            let address = structure.as_block().and_then(address);
            Some(Item { start, address })
        })
        .collect();
    let converter = Converter::new(text, file);
    let root = converter.body(&body, converter.lines.whole())?;
    Ok((root.into_document(), items))
}

/// The address of a `resource` or `data` block with a type and a name.
fn address(block: &Block) -> Option<Address> {
    let kind = block.ident.as_str();
    match (kind, &block.labels[..]) {
        ("resource" | "data", [type_name, name]) => Some((
            kind.to_string(),
            type_name.as_str().to_string(),
            name.as_str().to_string(),
        )),
        _ => None,
    }
}

/// The `resource` and `data` blocks of an HCL text, each with its address and value as the
/// document holds it (a list of one body); `None` when the text does not parse, or holds an
/// attribute or another kind of block.
pub fn resource_blocks(text: &str) -> Option<Vec<(Address, serde_json::Value)>> {
    let body = hcl_edit::parser::parse_body(text).ok()?;
    if body.attributes().next().is_some() {
        return None;
    }
    let converter = Converter::new(text, "");
    body.blocks()
        .map(|block| {
            let node = converter.body(&block.body, converter.span_of(block)).ok()?;
            let value = serde_json::Value::Array(vec![node.into_value()]);
            Some((address(block)?, value))
        })
        .collect()
}

/// The argument of a `jsonencode(...)` call as the loader writes one (`${jsonencode({...})}`),
/// converted like any HCL value (a reference inside stays a `"${ref}"` string: unknown), or
/// `None` when the text is not such a call. This is how the built-in pack reads a policy
/// document written inline in HCL: through the Rego function
/// `countersign.hcl.jsonencode_argument` (see [`crate::policy::engine`]).
pub fn jsonencode_argument(text: &str) -> Option<serde_json::Value> {
    let inner = text.strip_prefix("${")?.strip_suffix('}')?;
    let Expression::FuncCall(call) = hcl_edit::parser::parse_expr(inner).ok()? else {
        return None;
    };
    let [argument] = call.args.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    if call.name.is_namespaced() || call.name.name.as_str() != "jsonencode" {
        return None;
    }
    let converter = Converter::new(inner, "");
    Some(converter.expr(argument).into_document().value)
}

struct Converter<'a> {
    text: &'a str,
    file: &'a str,
    lines: LineIndex,
}

impl<'a> Converter<'a> {
    /// A converter of `text`, naming `file` in its errors.
    fn new(text: &'a str, file: &'a str) -> Self {
        Converter {
            text,
            file,
            lines: LineIndex::new(text),
        }
    }

    /// The lines a parsed node occupies (the first line if the parser kept no span).
    fn span_of(&self, node: &impl hcl_edit::Span) -> Span {
        match node.span() {
            Some(range) => self.lines.span(range),
            None => Span::new(1, 1),
        }
    }

    /// The exact source text of a parsed node.
    fn source(&self, expr: &Expression) -> String {
        expr.span()
            .and_then(|range| self.text.get(range))
            .map_or_else(|| expr.to_string().trim().to_string(), str::to_string)
    }

    /// An expression as conftest writes one it does not evaluate: `${` + source + `}`.
    fn wrap(&self, expr: &Expression) -> String {
        format!("${{{}}}", self.source(expr))
    }

    fn body(&self, body: &Body, span: Span) -> crate::Result<Node> {
        let mut out = BTreeMap::new();
        // Blocks first, then attributes, as conftest does: an attribute wins over blocks.
        for block in body.blocks() {
            self.block(block, &mut out)?;
        }
        for attr in body.attributes() {
            let mut value = self.expr(&attr.value);
            value.span = value.span.union(self.span_of(attr));
            out.insert(attr.key.as_str().to_string(), value);
        }
        Ok(Node::new(Kind::Object(out), span))
    }

    fn block(&self, block: &Block, out: &mut BTreeMap<String, Node>) -> crate::Result<()> {
        let span = self.span_of(block);
        let value = self.body(&block.body, span)?;
        let unnestable = || {
            let mut name = vec![block.ident.as_str()];
            name.extend(block.labels.iter().map(|label| label.as_str()));
            Error::at_line(
                self.file,
                span.start as usize,
                format!("cannot convert block `{}` to JSON", name.join(".")),
            )
        };

        let mut out = out;
        let mut key = block.ident.as_str().to_string();
        for label in &block.labels {
            let inner = out
                .entry(key)
                .or_insert_with(|| Node::new(Kind::Object(BTreeMap::new()), span));
            inner.span = inner.span.union(span);
            out = match &mut inner.kind {
                Kind::Object(map) => map,
                _ => return Err(unnestable()),
            };
            key = label.as_str().to_string();
        }

        let list = out
            .entry(key)
            .or_insert_with(|| Node::new(Kind::Array(Vec::new()), span));
        list.span = list.span.union(span);
        match &mut list.kind {
            Kind::Array(items) => items.push(value),
            _ => return Err(unnestable()),
        }
        Ok(())
    }

    fn expr(&self, expr: &Expression) -> Node {
        let span = self.span_of(expr);
        let kind = match expr {
            Expression::Null(_) => Kind::Null,
            Expression::Bool(b) => Kind::Bool(*b.value()),
            Expression::Number(n) => Kind::Number(number(n.value())),
            Expression::String(s) => Kind::String(s.value().clone()),
            Expression::Array(array) => Kind::Array(array.iter().map(|e| self.expr(e)).collect()),
            Expression::Object(object) => Kind::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let mut node = self.expr(value.expr());
                        node.span = node.span.union(self.span_of(key));
                        (self.key(key), node)
                    })
                    .collect(),
            ),
            Expression::StringTemplate(template) => {
                // `"${x}"` is `x` itself, as conftest unwraps a template-wrap expression.
                if let [Element::Interpolation(interp)] =
                    template.iter().collect::<Vec<_>>().as_slice()
                {
                    let mut node = self.expr(&interp.expr);
                    node.span = span;
                    return node;
                }
                Kind::String(self.template(template))
            }
            Expression::HeredocTemplate(heredoc) => Kind::String(self.template(&heredoc.template)),
            Expression::UnaryOp(op) => match (op.operator.value(), &op.expr) {
                (UnaryOperator::Neg, Expression::Number(n)) => Kind::Number(number(&-*n.value())),
                (UnaryOperator::Not, Expression::Bool(b)) => Kind::Bool(!*b.value()),
                _ => Kind::String(self.wrap(expr)),
            },
            _ => Kind::String(self.wrap(expr)),
        };
        Node::new(kind, span)
    }

    /// An object key: an identifier or a bare reference as written, anything else as a template
    /// part (conftest's `convertKey`).
    fn key(&self, key: &ObjectKey) -> String {
        match key {
            ObjectKey::Ident(ident) => ident.as_str().to_string(),
            ObjectKey::Expression(expr @ (Expression::Variable(_) | Expression::Traversal(_))) => {
                self.source(expr)
            }
            ObjectKey::Expression(expr) => self.string_part(expr),
        }
    }

    /// A template's text: literal parts as they read, the rest as conftest writes them.
    fn template(&self, template: &Template) -> String {
        let mut out = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(literal) => out.push_str(literal.value()),
                Element::Interpolation(interp) => out.push_str(&self.string_part(&interp.expr)),
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(dir) => {
                        out.push_str("%{if ");
                        out.push_str(&self.source(&dir.if_expr.cond_expr));
                        out.push('}');
                        out.push_str(&self.template(&dir.if_expr.template));
                        if let Some(otherwise) = &dir.else_expr {
                            let text = self.template(&otherwise.template);
                            if !text.is_empty() {
                                out.push_str("%{else}");
                                out.push_str(&text);
                            }
                        }
                        out.push_str("%{endif}");
                    }
                    Directive::For(dir) => {
                        let intro = &dir.for_expr;
                        out.push_str("%{for ");
                        if let Some(key) = &intro.key_var {
                            out.push_str(key.as_str());
                            out.push_str(", ");
                        }
                        out.push_str(intro.value_var.as_str());
                        out.push_str(" in ");
                        out.push_str(&self.source(&intro.collection_expr));
                        out.push('}');
                        out.push_str(&self.template(&intro.template));
                        out.push_str("%{endfor}");
                    }
                },
            }
        }
        out
    }

    /// An interpolated expression inside a template (conftest's `convertStringPart`).
    fn string_part(&self, expr: &Expression) -> String {
        match expr {
            Expression::Null(_) => "null".to_string(),
            Expression::Bool(b) => b.value().to_string(),
            Expression::Number(n) => n.value().to_string(),
            Expression::String(s) => s.value().clone(),
            Expression::StringTemplate(template) => self.template(template),
            Expression::HeredocTemplate(heredoc) => self.template(&heredoc.template),
            Expression::Conditional(cond) => {
                let mut out = format!("%{{if {}}}", self.source(&cond.cond_expr));
                out.push_str(&self.string_part(&cond.true_expr));
                let otherwise = self.string_part(&cond.false_expr);
                if !otherwise.is_empty() {
                    out.push_str("%{else}");
                    out.push_str(&otherwise);
                }
                out.push_str("%{endif}");
                out
            }
            _ => self.wrap(expr),
        }
    }
}

/// An HCL number as a JSON number (a non-finite one, which HCL cannot write, as 0).
fn number(n: &hcl_edit::Number) -> serde_json::Number {
    if let Some(i) = n.as_i64() {
        i.into()
    } else if let Some(u) = n.as_u64() {
        u.into()
    } else {
        n.as_f64()
            .and_then(serde_json::Number::from_f64)
            .unwrap_or_else(|| 0.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::input::corpus;
    use crate::policy::source_map::Step;
    use crate::policy::source_map::path;
    use serde_json::json;

    fn load_ok(text: &str) -> Document {
        load(text, "t.tf").unwrap()
    }

    /// The input of conftest's `parser/hcl2/convert_test.go` ("simple-resources").
    const CONFTEST_INPUT: &str = r#"
resource "aws_elastic_beanstalk_environment" "example" {
  name        = "test_environment"
  application = "testing"

  setting {
    namespace = "aws:autoscaling:asg"
    name      = "MinSize"
    value     = "1"
  }

  dynamic "setting" {
    for_each = data.consul_key_prefix.environment.var
    content {
      heredoc = <<-EOF
        This is a heredoc template.
        It references ${local.other.3}
        EOF
      simple = "${4 - 2}"
      cond = test3 > 2 ? 1: 0
      heredoc2 = <<EOF
        Another heredoc, that
        doesn't remove indentation
        ${local.other.3}
        %{if true ? false : true}"gotcha"\n%{else}4%{endif}
      EOF
      loop = "This has a for loop: %{for x in local.arr}x,%{endfor}"
      namespace = "aws:elasticbeanstalk:application:environment"
      name      = setting.key
      value     = setting.value
    }
  }
}"#;

    fn conftest_content() -> serde_json::Value {
        json!({
            "cond": "${test3 > 2 ? 1: 0}",
            "heredoc": "This is a heredoc template.\nIt references ${local.other.3}\n",
            "heredoc2": "        Another heredoc, that\n        doesn't remove indentation\n        ${local.other.3}\n        %{if true ? false : true}\"gotcha\"\\n%{else}4%{endif}\n",
            "loop": "This has a for loop: %{for x in local.arr}x,%{endfor}",
            "name": "${setting.key}",
            "namespace": "aws:elasticbeanstalk:application:environment",
            "simple": "${4 - 2}",
            "value": "${setting.value}"
        })
    }

    #[test]
    fn conftest_convert_test() {
        // Exactly conftest's current expectation (every block wrapped in a list).
        let doc = load_ok(CONFTEST_INPUT);
        let expected = json!({
            "resource": {"aws_elastic_beanstalk_environment": {"example": [{
                "name": "test_environment",
                "application": "testing",
                "setting": [{"name": "MinSize", "namespace": "aws:autoscaling:asg", "value": "1"}],
                "dynamic": {"setting": [{
                    "for_each": "${data.consul_key_prefix.environment.var}",
                    "content": [conftest_content()]
                }]}
            }]}}
        });
        assert_eq!(doc.value, expected);
        assert_eq!(
            doc.map.locate(&path(&[
                "resource",
                "aws_elastic_beanstalk_environment",
                "example",
                "0",
                "setting",
                "0",
                "name"
            ])),
            Some(Span::new(8, 8))
        );
        let example = ["resource", "aws_elastic_beanstalk_environment", "example"];
        assert_eq!(doc.map.locate(&path(&example)), Some(Span::new(2, 33)));
        let mut first = path(&example);
        first.push(Step::Index(0));
        assert_eq!(doc.map.locate(&first), Some(Span::new(2, 33)));
        first.extend(path(&["dynamic", "setting", "0", "content", "0", "cond"]));
        assert_eq!(doc.map.locate(&first), Some(Span::new(20, 20)));
    }

    #[test]
    fn conftest_providers() {
        let one = "\nprovider \"aws\" {\n  version = \"=2.46.0\"\n  alias   = \"one\"\n}\n";
        assert_eq!(
            load_ok(one).value,
            json!({"provider": {"aws": [{"alias": "one", "version": "=2.46.0"}]}})
        );
        let two =
            format!("{one}provider \"aws\" {{\n  version = \"=2.47.0\"\n  alias   = \"two\"\n}}\n");
        let doc = load_ok(&two);
        assert_eq!(
            doc.value,
            json!({"provider": {"aws": [
                {"alias": "one", "version": "=2.46.0"},
                {"alias": "two", "version": "=2.47.0"}
            ]}})
        );
        assert_eq!(
            doc.map.locate(&path(&["provider", "aws"])),
            Some(Span::new(2, 9))
        );
        assert_eq!(
            doc.map.locate(&path(&["provider", "aws", "0"])),
            Some(Span::new(2, 5))
        );
        assert_eq!(
            doc.map.locate(&path(&["provider", "aws", "1"])),
            Some(Span::new(6, 9))
        );
        assert_eq!(
            doc.map.locate(&path(&["provider", "aws", "1", "alias"])),
            Some(Span::new(8, 8))
        );
    }

    #[test]
    fn repeated_nested_blocks_and_spans() {
        let text = r#"resource "aws_security_group" "web" {
  name = "web"

  ingress {
    from_port   = 22
    to_port     = 22
    cidr_blocks = [
      "10.0.0.0/8",
      "0.0.0.0/0",
    ]
  }

  ingress {
    from_port = -1
    protocol  = "icmp"
  }

  egress {
    from_port = 0
  }
}
"#;
        let doc = load_ok(text);
        let sg = &doc.value["resource"]["aws_security_group"]["web"][0];
        assert_eq!(
            sg["ingress"][0]["cidr_blocks"],
            json!(["10.0.0.0/8", "0.0.0.0/0"])
        );
        assert_eq!(sg["ingress"][1]["from_port"], json!(-1));
        assert_eq!(sg["egress"], json!([{"from_port": 0}]));
        let map = &doc.map;
        let web = ["resource", "aws_security_group", "web", "0"];
        assert_eq!(map.locate(&[]), Some(Span::new(1, 21)));
        assert_eq!(map.locate(&path(&web[..3])), Some(Span::new(1, 21)));
        assert_eq!(map.locate(&path(&web)), Some(Span::new(1, 21)));
        assert_eq!(map.locate(&path(&["resource"])), Some(Span::new(1, 21)));
        let at = |rest: &[&str]| {
            let mut p = path(&web);
            p.extend(path(rest));
            map.locate(&p)
        };
        assert_eq!(at(&["ingress"]), Some(Span::new(4, 16)));
        assert_eq!(at(&["ingress", "0"]), Some(Span::new(4, 11)));
        assert_eq!(at(&["ingress", "0", "cidr_blocks"]), Some(Span::new(7, 10)));
        assert_eq!(
            at(&["ingress", "0", "cidr_blocks", "1"]),
            Some(Span::new(9, 9))
        );
        assert_eq!(at(&["ingress", "1"]), Some(Span::new(13, 16)));
        assert_eq!(at(&["ingress", "1", "protocol"]), Some(Span::new(15, 15)));
        assert_eq!(at(&["egress"]), Some(Span::new(18, 20)));
        assert_eq!(at(&["egress", "0"]), Some(Span::new(18, 20)));
        assert_eq!(at(&["egress", "0", "from_port"]), Some(Span::new(19, 19)));
        assert_eq!(at(&["name"]), Some(Span::new(2, 2)));
        // Unknown paths fall back to the nearest ancestor.
        assert_eq!(at(&["ingress", "1", "nope"]), Some(Span::new(13, 16)));
    }

    #[test]
    fn block_spans_the_whole_block_and_attribute_its_line() {
        let text = r#"provider "aws" {
  region = "eu-west-1"
}

resource "aws_security_group" "web" {
  name = "web"

  ingress {
    from_port   = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;
        let doc = load_ok(text);
        assert_eq!(
            doc.value["resource"]["aws_security_group"]["web"],
            json!([{"name": "web", "ingress": [{"from_port": 443, "cidr_blocks": ["0.0.0.0/0"]}]}])
        );
        let map = &doc.map;
        assert_eq!(
            map.locate(&path(&["resource", "aws_security_group", "web", "0"])),
            Some(Span::new(5, 12))
        );
        assert_eq!(
            map.locate(&path(&[
                "resource",
                "aws_security_group",
                "web",
                "0",
                "ingress",
                "0",
                "cidr_blocks"
            ])),
            Some(Span::new(10, 10))
        );
        assert_eq!(
            map.locate(&path(&[
                "resource",
                "aws_security_group",
                "web",
                "0",
                "ingress",
                "0"
            ])),
            Some(Span::new(8, 11))
        );
        assert_eq!(
            map.locate(&path(&["provider", "aws", "0", "region"])),
            Some(Span::new(2, 2))
        );
    }

    #[test]
    fn expressions() {
        let text = r#"
locals {
  n      = 1.5
  neg    = -2
  not    = !true
  nul    = null
  t      = true
  ref    = aws_vpc.main.id
  call   = jsonencode({
    Version = "2012-10-17"
  })
  cond   = var.public ? "0.0.0.0/0" : "10.0.0.0/8"
  arith  = var.n * 2
  forexp = [for s in var.list : upper(s)]
  splat  = aws_instance.web[*].id
  paren  = (1 + 2)
  wrap   = "${var.x}"
  wraplit = "${true}"
  tmpl   = "arn:aws:s3:::${var.bucket}/*"
  esc    = "a $${literal} %%{x} \"q\" \u00e9"
  heredoc = <<EOT
line ${var.y}
EOT
  obj = {
    plain       = "x"
    "quoted key" = 1
    (var.k)     = 2
    nested      = { a = [1, { b = "c" }] }
  }
  empty  = []
  cidr   = ["0.0.0.0/0"]
  neg_ref = -var.x
  tcond  = "x%{if var.a}yes%{else}no%{endif}"
  tfor   = "%{for k, v in var.m}${k}=${v},%{endfor}"
}
"#;
        let doc = load_ok(text);
        assert_eq!(doc.value["locals"].as_array().map(Vec::len), Some(1));
        let l = &doc.value["locals"][0];
        assert_eq!(l["n"], json!(1.5));
        assert_eq!(l["neg"], json!(-2));
        assert_eq!(l["not"], json!(false));
        assert_eq!(l["nul"], json!(null));
        assert_eq!(l["t"], json!(true));
        assert_eq!(l["ref"], json!("${aws_vpc.main.id}"));
        assert_eq!(
            l["call"],
            json!("${jsonencode({\n    Version = \"2012-10-17\"\n  })}")
        );
        assert_eq!(
            l["cond"],
            json!("${var.public ? \"0.0.0.0/0\" : \"10.0.0.0/8\"}")
        );
        assert_eq!(l["arith"], json!("${var.n * 2}"));
        assert_eq!(l["forexp"], json!("${[for s in var.list : upper(s)]}"));
        assert_eq!(l["splat"], json!("${aws_instance.web[*].id}"));
        assert_eq!(l["paren"], json!("${(1 + 2)}"));
        assert_eq!(l["wrap"], json!("${var.x}"));
        assert_eq!(l["wraplit"], json!(true));
        assert_eq!(l["tmpl"], json!("arn:aws:s3:::${var.bucket}/*"));
        assert_eq!(l["esc"], json!("a ${literal} %{x} \"q\" é"));
        assert_eq!(l["heredoc"], json!("line ${var.y}\n"));
        assert_eq!(
            l["obj"],
            json!({
                "plain": "x",
                "quoted key": 1,
                "${(var.k)}": 2,
                "nested": {"a": [1, {"b": "c"}]}
            })
        );
        assert_eq!(l["empty"], json!([]));
        assert_eq!(l["cidr"], json!(["0.0.0.0/0"]));
        assert_eq!(l["neg_ref"], json!("${-var.x}"));
        assert_eq!(l["tcond"], json!("x%{if var.a}yes%{else}no%{endif}"));
        assert_eq!(l["tfor"], json!("%{for k, v in var.m}${k}=${v},%{endfor}"));
        let map = &doc.map;
        assert_eq!(
            map.locate(&path(&["locals", "0", "call"])),
            Some(Span::new(9, 11))
        );
        assert_eq!(
            map.locate(&path(&["locals", "0", "heredoc"])),
            Some(Span::new(21, 23))
        );
        assert_eq!(
            map.locate(&path(&["locals", "0", "obj"])),
            Some(Span::new(24, 29))
        );
        assert_eq!(
            map.locate(&path(&["locals", "0", "obj", "nested", "a", "1", "b"])),
            Some(Span::new(28, 28))
        );
    }

    #[test]
    fn a_jsonencode_call_gives_its_argument() {
        let text = "${jsonencode({\n  Version = \"2012-10-17\" # the current one\n  Statement = [{\n    Action = [\"s3:*\", local.extra]\n    Resource = \"${aws_s3_bucket.b.arn}/*\"\n    Sid = -1\n  },]\n})}";
        assert_eq!(
            jsonencode_argument(text),
            Some(json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Action": ["s3:*", "${local.extra}"],
                    "Resource": "${aws_s3_bucket.b.arn}/*",
                    "Sid": -1,
                }],
            }))
        );
        assert_eq!(
            jsonencode_argument("${jsonencode(local.policy)}"),
            Some(json!("${local.policy}"))
        );
        for not_a_call in [
            "{}",
            "${merge({}, {})}",
            "${jsonencode({}, 1)}",
            "${jsonencode({)}",
        ] {
            assert_eq!(jsonencode_argument(not_a_call), None, "{not_a_call}");
        }
    }

    #[test]
    fn attribute_and_block_with_the_same_name() {
        // conftest's converter sets attributes after blocks: the attribute wins, in any order.
        let text = "setting = {a = 1}\nsetting {\n  b = 2\n}\n";
        let doc = load_ok(text);
        assert_eq!(doc.value, json!({"setting": {"a": 1}}));
        assert_eq!(doc.map.locate(&path(&["setting"])), Some(Span::new(1, 1)));
        let text = "setting {\n  b = 2\n}\nsetting = [1]\n";
        assert_eq!(load_ok(text).value, json!({"setting": [1]}));
        let text = "resource = 1\n\nresource \"a\" \"b\" {}\n";
        assert_eq!(load_ok(text).value, json!({"resource": 1}));
    }

    #[test]
    fn blocks_that_cannot_nest_are_errors() {
        let err = load("a {}\na \"x\" {}\n", "m.tf").unwrap_err();
        assert_eq!(
            err.to_string(),
            "m.tf:2: cannot convert block `a.x` to JSON"
        );
        assert!(matches!(err, Error::Input { .. }));
        let text = "resource \"a\" \"b\" {}\n\nresource \"a\" {}\n";
        let err = load(text, "m.tf").unwrap_err();
        assert_eq!(
            err.to_string(),
            "m.tf:3: cannot convert block `resource.a` to JSON"
        );
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let err = load("a = 1\nb = \n", "bad.tf").unwrap_err();
        assert!(err.to_string().starts_with("bad.tf:"), "{err}");
        assert!(matches!(err, Error::Input { .. }));
        let err = load("a = 1\n\nresource \"x\" {\n  b = [1, 2\n}\n", "bad.tf").unwrap_err();
        assert!(err.to_string().contains("HCL syntax error"), "{err}");
        let line: usize = err.to_string()["bad.tf:".len()..]
            .split(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!((4..=5).contains(&line), "{err}");
    }

    #[test]
    fn empty_file_is_an_empty_object() {
        let doc = load_ok("");
        assert_eq!(doc.value, json!({}));
        assert_eq!(load_ok("# only a comment\n").value, json!({}));
    }

    #[test]
    fn conftest_example_terraform() {
        let text = corpus::read("conftest-examples/examples/hcl2/terraform.tf");
        let doc = load_ok(&text);
        let r = &doc.value["resource"];
        let rule = &r["aws_security_group_rule"]["my-rule"][0];
        assert_eq!(rule["cidr_blocks"], json!(["0.0.0.0/0"]));
        assert_eq!(rule["type"], json!("ingress"));
        let listener = &r["aws_alb_listener"]["my-alb-listener"][0];
        assert_eq!(listener["protocol"], json!("HTTP"));
        assert_eq!(listener["port"], json!("80"));
        assert_eq!(r["aws_db_security_group"]["my-group"], json!([{}]));
        assert_eq!(
            r["azurerm_managed_disk"]["source"][0]["encryption_settings"],
            json!([{"enabled": false}])
        );
        assert_eq!(
            r["aws_s3_bucket"]["valid"][0]["tags"],
            json!({"environment": "prod", "owner": "devops"})
        );
        let map = &doc.map;
        assert_eq!(
            map.locate(&path(&[
                "resource",
                "aws_security_group_rule",
                "my-rule",
                "0",
                "cidr_blocks"
            ])),
            Some(Span::new(3, 3))
        );
        assert_eq!(
            map.locate(&path(&[
                "resource",
                "aws_alb_listener",
                "my-alb-listener",
                "0"
            ])),
            Some(Span::new(6, 9))
        );
        assert_eq!(
            map.locate(&path(&[
                "resource",
                "aws_alb_listener",
                "my-alb-listener",
                "0",
                "protocol"
            ])),
            Some(Span::new(8, 8))
        );
        assert_eq!(
            map.locate(&path(&[
                "resource",
                "azurerm_managed_disk",
                "source",
                "0",
                "encryption_settings",
                "0",
                "enabled"
            ])),
            Some(Span::new(17, 17))
        );
        assert_eq!(
            map.locate(&path(&[
                "resource",
                "aws_s3_bucket",
                "valid",
                "0",
                "tags",
                "owner"
            ])),
            Some(Span::new(27, 27))
        );
    }

    #[test]
    fn checkov_fixtures_values() {
        let aws = "checkov-fixtures/tests/terraform/checks/resource/aws";
        let text = corpus::read(&format!(
            "{aws}/example_SecurityGroupUnrestrictedIngress22/main.tf"
        ));
        let doc = load_ok(&text);
        let fail = &doc.value["resource"]["aws_security_group"]["fail"][0];
        assert_eq!(fail["vpc_id"], json!("${aws_vpc.main.id}"));
        assert_eq!(fail["ingress"][0]["from_port"], json!(22));
        assert_eq!(
            fail["ingress"][0]["cidr_blocks"],
            json!(["192.168.0.0/16", "0.0.0.0/0"])
        );
        assert_eq!(fail["egress"][0]["protocol"], json!("-1"));
        let sg = ["resource", "aws_security_group", "fail"];
        let at = |rest: &[&str]| {
            let mut p = path(&sg);
            p.extend(path(rest));
            doc.map.locate(&p)
        };
        assert_eq!(at(&[]), Some(Span::new(2, 20)));
        assert_eq!(at(&["0"]), Some(Span::new(2, 20)));
        assert_eq!(at(&["0", "ingress"]), Some(Span::new(6, 12)));
        assert_eq!(at(&["0", "ingress", "0"]), Some(Span::new(6, 12)));
        assert_eq!(
            at(&["0", "ingress", "0", "cidr_blocks"]),
            Some(Span::new(10, 10))
        );
        assert_eq!(
            at(&["0", "ingress", "0", "cidr_blocks", "1"]),
            Some(Span::new(10, 10))
        );

        let text = corpus::read(&format!("{aws}/example_IAMDataExfiltration/main.tf"));
        let doc = load_ok(&text);
        let policy = doc.value["resource"]["aws_iam_policy"]["pass"][0]["policy"]
            .as_str()
            .unwrap();
        assert!(
            policy.starts_with("  {\n    \"Version\": \"2012-10-17\""),
            "{policy}"
        );
        assert!(policy.ends_with("  }\n"), "{policy}");
        assert_eq!(
            doc.map.locate(&path(&[
                "resource",
                "aws_iam_policy",
                "pass",
                "0",
                "policy"
            ])),
            Some(Span::new(4, 19))
        );

        let text = corpus::read(&format!("{aws}/example_EKSControlPlaneLogging/main.tf"));
        let doc = load_ok(&text);
        let eks = &doc.value["resource"]["aws_eks_cluster"]["fully_enabled_with_dynamic_block"][0];
        let config = &eks["dynamic"]["encryption_config"][0];
        assert_eq!(
            config["content"][0]["provider"][0]["key_arn"],
            json!("aws/kms/key")
        );
        assert_eq!(config["content"][0]["resources"], json!(["secrets"]));
        assert_eq!(config["for_each"], json!([1]));
    }

    /// Every `.tf` of the corpus loads: checkov's AWS check fixtures, regula's loader cases and
    /// KICS samples.
    #[test]
    fn every_corpus_tf_loads() {
        let mut files = corpus::files(
            "checkov-fixtures/tests/terraform/checks/resource/aws",
            &[".tf"],
        );
        let checkov = files.len();
        files.extend(corpus::files("regula/pkg/loader/tf_test", &[".tf"]));
        files.extend(corpus::files("kics-samples", &[".tf"]));
        assert!(checkov >= 150, "checkov .tf fixtures: {checkov}");
        let mut failures = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            if let Err(err) = load(&text, &file.display().to_string()) {
                failures.push(err.to_string());
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} failed:\n{}",
            failures.len(),
            files.len(),
            failures.join("\n")
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC*") {
            let _ = load(&text, "p.tf");
        }

        #[test]
        fn hcl_like_text_never_panics(text in r#"[a-z"{}\[\]()=,.:?!<>$%~\-+*/ 0-9\n#]{0,80}"#) {
            let _ = load(&text, "p.tf");
        }
    }
}
