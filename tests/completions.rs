//! Shell completions and man pages, generated from the clap definitions by the real binary,
//! name every subcommand (and `policy test`) and the options of `stats`.

mod common;

use clap::CommandFactory;
use countersign::cli::Cli;

/// Every subcommand as its path of names (`["stats"]`, `["policy", "test"]`).
fn subcommands() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, above: &[String], out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut path = above.to_vec();
            path.push(sub.get_name().to_string());
            out.push(path.clone());
            walk(sub, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), &[], &mut out);
    out
}

fn run(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = common::countersign_in(dir.path(), args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn completions_name_every_subcommand() {
    let names: Vec<String> = subcommands().into_iter().map(|p| p.join(" ")).collect();
    for expected in [
        "review",
        "check",
        "stats",
        "completions",
        "man",
        "policy",
        "policy test",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} is not a subcommand"
        );
    }
    for (shell, marker, option) in [
        ("bash", "complete -F", "--history"),
        ("zsh", "#compdef countersign", "--history"),
        ("fish", "complete -c countersign", "-l history"),
    ] {
        let script = run(&["completions", shell]);
        assert!(script.contains(marker), "{shell}:\n{script}");
        assert!(script.contains(option), "{shell} lacks {option}");
        for path in subcommands() {
            let name = path.last().unwrap();
            assert!(script.contains(name.as_str()), "{shell} lacks {name}");
        }
    }
    let out = common::countersign_in(std::path::Path::new("."), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn man_pages_name_every_subcommand() {
    let page = run(&["man"]);
    assert!(page.contains(".TH countersign 1"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    run(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert!(dir.path().join("countersign.1").is_file());
    for path in subcommands() {
        // The page that lists it refers to its own page, which exists and can be printed.
        let parent = &path[..path.len() - 1];
        let listing = if parent.is_empty() {
            page.clone()
        } else {
            let mut args = vec!["man"];
            args.extend(parent.iter().map(String::as_str));
            run(&args)
        };
        let title = format!("countersign-{}", path.join("-"));
        let reference = format!("{}(1)", title.replace('-', "\\-"));
        assert!(
            listing.contains(&reference),
            "no {reference} in:\n{listing}"
        );
        assert!(dir.path().join(format!("{title}.1")).is_file(), "{title}.1");
        let mut args = vec!["man"];
        args.extend(path.iter().map(String::as_str));
        assert!(run(&args).contains(&format!(".TH {title} 1")), "{title}");
    }
    assert!(run(&["man", "stats"]).contains("\\-\\-history"));
    let out = common::countersign_in(std::path::Path::new("."), &["man", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}
