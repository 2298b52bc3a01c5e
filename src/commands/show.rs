//! `countersign show`: the whole change, pager-style, or as JSON.

use crate::cli::{ColorChoice, ShowArgs, ShowFormat};
use crate::error::{Error, Result};
use crate::policy::evaluate::Evaluation;
use crate::render::highlight::{DEFAULT_THEME, load_theme};
use crate::render::json;
use crate::render::text::{Colors, write_change};

use super::output::{Output, use_color};

/// Runs `show`.
pub fn run(args: &ShowArgs, color: ColorChoice, theme: Option<&str>) -> Result<()> {
    let source = args.source.source();
    let (change, eval) = if args.findings {
        let checked =
            super::check::load_and_evaluate(&source, args.source.linked_plan(), &args.policy)?;
        let eval = checked.eval;
        for e in &eval.errors {
            eprintln!(
                "countersign: warning: {}: {} ({})",
                e.location, e.message, e.input
            );
        }
        (checked.change, eval)
    } else {
        (source.load()?, Evaluation::default())
    };
    let mut out = Output::open(!args.no_pager && args.format == ShowFormat::Text);
    let written = match args.format {
        ShowFormat::Json => {
            let mut doc = json::changeset(&change);
            doc["findings"] =
                serde_json::to_value(&eval.findings).map_err(|e| Error::Internal(e.to_string()))?;
            json::write_ascii(&doc, &mut out)
        }
        ShowFormat::Text => {
            if use_color(color) {
                let theme = load_theme(theme.unwrap_or(DEFAULT_THEME))?;
                write_change(
                    &change,
                    &eval.findings,
                    Some(&Colors::for_theme(&theme)),
                    &mut out,
                )
            } else {
                write_change(&change, &eval.findings, None, &mut out)
            }
        }
    };
    written.and_then(|()| out.finish()).or_else(|e| {
        // A reader that stops early (`| head`, quitting the pager) is not an error.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Ok(())
        } else {
            Err(Error::Internal(format!("writing output: {e}")))
        }
    })
}
