//! Snapshots of what `show` prints, on inputs that are fully deterministic (a patch and a plan
//! from `tests/fixtures/`). Review changes with `cargo insta review`.

mod common;

use std::path::Path;

fn show(args: &[&str]) -> String {
    let out = common::countersign_in(Path::new(env!("CARGO_MANIFEST_DIR")), args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A plan: create, update with a new nested block, replace with a forcing attribute,
/// destroy, outputs, sensitive values masked, no-op/read summarised; with `--findings`, the
/// policy findings under their lines and the blast radius on top.
#[test]
fn plan_as_terraform_shows_it() {
    let text = show(&[
        "show",
        "--plan",
        "tests/fixtures/sample-plan.json",
        "--color",
        "never",
        "--findings",
    ]);
    insta::assert_snapshot!(text);
}

/// A patch with a binary file, a mode change and hostile characters, plain.
#[test]
fn patch_with_hostile_characters() {
    let text = show(&[
        "show",
        "--patch",
        "tests/fixtures/hostile.diff",
        "--color",
        "never",
    ]);
    insta::assert_snapshot!(text);
}

/// The same patch in colour, escape sequences written out as `\e` to stay readable.
#[test]
fn patch_in_colour() {
    let text = show(&[
        "show",
        "--patch",
        "tests/fixtures/hostile.diff",
        "--color",
        "always",
    ]);
    insta::assert_snapshot!(text.replace('\x1b', "\\e"));
}

/// `--theme countersign-light` switches the diff palette to light backgrounds.
#[test]
fn light_theme_uses_light_backgrounds() {
    let dark = show(&[
        "show",
        "--patch",
        "tests/fixtures/hostile.diff",
        "--color",
        "always",
    ]);
    let light = show(&[
        "show",
        "--patch",
        "tests/fixtures/hostile.diff",
        "--color",
        "always",
        "--theme",
        "countersign-light",
    ]);
    assert!(dark.contains("48;2;63;0;1") && !light.contains("48;2;63;0;1"));
    assert!(light.contains("48;2;255;224;224"));
}

/// NO_COLOR turns colours off under `--color auto`; `--color always` overrides it.
#[test]
fn no_color_is_honoured() {
    let run = |color: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_countersign"))
            .args([
                "show",
                "--patch",
                "tests/fixtures/hostile.diff",
                "--color",
                color,
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
            .stdout
    };
    assert!(!run("auto").contains(&0x1b));
    assert!(run("always").contains(&0x1b));
}
