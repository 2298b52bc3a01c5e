//! End to end: the real binary in a pseudo-terminal (portable-pty), its screen read back with
//! vt100, through a whole review of a small repository; and the terminal left in its normal
//! mode however the review ends (finish, `q`, Ctrl-C, a panic).

mod common;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Repo;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const ROWS: u16 = 30;
const COLS: u16 = 100;

/// A running countersign in a pseudo-terminal.
struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    /// Runs `sh -c script` in `dir` (so the test can see what the shell prints afterwards).
    fn start(dir: &std::path::Path, script: &str, env: &[(&str, &str)]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new("sh");
        cmd.args(["-c", script]);
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            ROWS.try_into().unwrap(),
            COLS.try_into().unwrap(),
            0,
        )));
        let sink = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        Session {
            screen,
            writer,
            child,
            _master: pair.master,
        }
    }

    fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `needle`.
    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            if text.contains(needle) {
                return text;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "timed out waiting for {needle:?}; the screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the policies' findings have arrived (the review opens before them).
    fn wait_for_findings(&self) -> String {
        self.wait_for("policies evaluated")
    }

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // Let the review draw before the next keys (a reviewer does not type blind).
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Waits for the shell to end; returns the final screen's text and whether the terminal
    /// is back in its normal mode (see [`assert_restored`]).
    fn finish(mut self) -> (String, Restored) {
        let start = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "did not exit:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(200));
        let parser = self.screen.lock().unwrap();
        let screen = parser.screen();
        let restored = Restored {
            main_screen: !screen.alternate_screen(),
            cursor_shown: !screen.hide_cursor(),
            mouse_off: screen.mouse_protocol_mode() == vt100::MouseProtocolMode::None,
        };
        (screen.contents(), restored)
    }
}

/// A change with a long safe file (longer than the screen), a security group opened to the
/// world, and a small safe edit.
fn repo() -> Repo {
    let repo = Repo::new();
    repo.write(
        "main.tf",
        "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n}\n",
    )
    .write(
        "variables.tf",
        "variable \"region\" {\n  default = \"eu-west-1\"\n}\n",
    );
    repo.commit("base");
    repo.branch("feature").checkout("feature");
    let runbook: String = (1..=60)
        .map(|i| format!("step {i}: check the dashboard\n"))
        .collect();
    repo.write("docs/runbook.md", runbook)
        .write(
            "main.tf",
            "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n}\n\nresource \"aws_security_group\" \"db\" {\n  name = \"db\"\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
        )
        .write("variables.tf", "variable \"region\" {\n  default = \"eu-central-1\"\n}\n");
    repo.commit("feature");
    repo
}

/// `countersign sessions --format json` in the repository.
fn sessions(repo: &Repo) -> serde_json::Value {
    let listing = std::process::Command::new(bin())
        .args(["sessions", "--format", "json"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    serde_json::from_slice(&listing.stdout).unwrap()
}

/// `countersign replay ID --headless` in the repository.
fn transcript(repo: &Repo, id: &str) -> String {
    let out = std::process::Command::new(bin())
        .args(["replay", id, "--headless"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_countersign")
}

/// What the terminal emulator says of its modes after the run.
struct Restored {
    main_screen: bool,
    cursor_shown: bool,
    mouse_off: bool,
}

/// The terminal is back in its normal mode: main screen, cursor shown, no mouse reporting,
/// and (per `stty -a`, run by the shell afterwards) canonical mode and echo on.
fn assert_restored(text: &str, r: &Restored) {
    assert!(r.main_screen, "still on the alternate screen:\n{text}");
    assert!(r.cursor_shown, "cursor still hidden");
    assert!(r.mouse_off, "mouse reporting left on");
    let words: Vec<&str> = text.split_whitespace().collect();
    assert!(
        words.contains(&"icanon") && words.contains(&"echo"),
        "raw mode left on:\n{text}"
    );
}

#[test]
fn a_whole_review_in_a_terminal() {
    let repo = repo();
    let script = format!(
        "'{}' --reviewer 'Ada <ada@example.com>' review main..feature; echo EXIT=$?; stty -a",
        bin()
    );
    let mut s = Session::start(repo.path(), &script, &[]);
    s.wait_for("hunk 1/1");
    s.wait_for("docs/runbook.md");
    s.wait_for_findings();
    // Navigate away and back.
    s.keys("J");
    s.wait_for("main.tf ·");
    s.keys("K");
    s.wait_for("runbook.md · @@");
    // The runbook is longer than the screen: approving it now is refused.
    s.keys("a");
    s.wait_for("not approved");
    assert!(s.text().contains("not yet seen"), "{}", s.text());
    read_and_approve_runbook(&mut s);
    // Now on the security group: risky, so approval asks for a justification.
    s.wait_for("aws-sg-public-admin-port");
    s.keys("G");
    s.keys("a");
    s.wait_for("Justify a risky approval");
    s.keys("temporary: ");
    s.keys("\r");
    s.wait_for("at least 20 characters");
    s.keys("vendor migration window, removed by CHG-42\r");
    s.wait_for("2/3 decided");
    // The last hunk: reject it with a reason.
    s.keys("x");
    s.wait_for("Why is this hunk rejected");
    s.keys("keep eu-west-1 until the data residency review\r");
    s.wait_for("every hunk is decided");
    s.keys("S");
    s.wait_for("Finish the review");
    s.wait_for("verdict: changes requested");
    s.keys("\r");
    let (text, restored) = s.finish();
    assert!(
        text.contains("review finished: changes requested"),
        "{text}"
    );
    assert!(
        text.contains("approved, justified: temporary: vendor migration"),
        "{text}"
    );
    assert!(text.contains("EXIT=1"), "{text}");
    assert_restored(&text, &restored);
}

#[test]
fn quitting_with_q_or_ctrl_c_restores_the_terminal() {
    let repo = repo();
    for (i, keys) in ["q", "\x03"].into_iter().enumerate() {
        // A store of its own each time, so the second run is not offered the first's session.
        let script = format!(
            "'{}' --store 'store-{i}' review main..feature; echo EXIT=$?; stty -a",
            bin()
        );
        let mut s = Session::start(repo.path(), &script, &[]);
        s.wait_for("hunk 1/1");
        s.keys(keys);
        let (text, restored) = s.finish();
        assert!(
            text.contains("review left unfinished: 0 of 3 hunks decided, saved"),
            "{text}"
        );
        assert!(text.contains("EXIT=0"), "{text}");
        assert_restored(&text, &restored);
    }
}

#[test]
fn the_review_opens_before_the_policies_finish_and_approval_waits_for_them() {
    let repo = repo();
    // A policy that takes a while (about a second and a half in a debug build).
    repo.write(
        "policy/slow.rego",
        "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tinput.resource.aws_security_group.db\n\tcount([x | some x in numbers.range(1, 1000000); x % 7 == 0]) > 0\n\tmsg := \"aws_security_group.db: looked at by a slow policy\"\n}\n",
    );
    let script = format!(
        "'{}' review main..feature --policies policy --policy-timeout 300; echo EXIT=$?",
        bin()
    );
    let mut s = Session::start(repo.path(), &script, &[]);
    let first = s.wait_for("hunk 1/1");
    assert!(first.contains("evaluating policies…"), "{first}");
    assert!(first.contains("step 1: check the dashboard"), "{first}");
    s.keys("a");
    s.wait_for("the policies are still being evaluated");
    let arrived = s.wait_for_findings();
    assert!(!arrived.contains("evaluating policies…"), "{arrived}");
    s.keys("q");
    let (text, _) = s.finish();
    assert!(text.contains("EXIT=0"), "{text}");
    // The arrival is in the session log, with the slow policy's finding, so a replay adds
    // the findings at the same point.
    let rows = sessions(&repo);
    let id = rows[0]["id"].as_str().unwrap();
    let log = repo
        .path()
        .join(".git/countersign/sessions")
        .join(format!("{id}.jsonl"));
    let log = std::fs::read_to_string(&log).unwrap();
    let arrival = log
        .lines()
        .find(|l| l.contains(r#""type":"findings""#))
        .expect(&log);
    assert!(arrival.contains("looked at by a slow policy"), "{arrival}");
    let transcript = transcript(&repo, id);
    let refused = transcript.find("still being evaluated").expect(&transcript);
    let findings = transcript.find("policies evaluated").expect(&transcript);
    assert!(refused < findings, "{transcript}");
}

#[test]
fn a_panic_inside_the_review_restores_the_terminal() {
    let repo = repo();
    let script = format!("'{}' review main..feature; echo EXIT=$?; stty -a", bin());
    let mut s = Session::start(repo.path(), &script, &[("COUNTERSIGN_TEST_PANIC_KEY", "z")]);
    s.wait_for("hunk 1/1");
    s.keys("z");
    let (text, restored) = s.finish();
    assert!(text.contains("internal error"), "{text}");
    assert!(text.contains("EXIT=3"), "{text}");
    assert_restored(&text, &restored);
}

/// Pages through the runbook hunk (on screen) to its end and approves it.
fn read_and_approve_runbook(s: &mut Session) {
    for _ in 0..4 {
        s.keys(" ");
    }
    s.wait_for("seen, undecided");
    s.keys("a");
    s.wait_for("1/3 decided");
}

/// Reads the runbook hunk to its end and approves it, then justifies the security group.
fn decide_two(s: &mut Session) {
    s.wait_for("hunk 1/1");
    s.wait_for("docs/runbook.md");
    s.wait_for_findings();
    read_and_approve_runbook(s);
    s.wait_for("aws-sg-public-admin-port");
    s.keys("G");
    s.keys("a");
    s.wait_for("Justify a risky approval");
    s.keys("vendor migration window, removed by CHG-42\r");
    s.wait_for("2/3 decided");
}

#[test]
fn decisions_on_screen_survive_sigkill_and_come_back_on_resume() {
    let repo = repo();
    let script = format!(
        "exec '{}' --reviewer 'Ada <ada@example.com>' review main..feature",
        bin()
    );
    let mut s = Session::start(repo.path(), &script, &[]);
    decide_two(&mut s);
    let pid = s.child.process_id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let _ = s.finish();

    // The agent narrows the security group after the approval.
    repo.write(
        "main.tf",
        "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n}\n\nresource \"aws_security_group\" \"db\" {\n  name = \"db\"\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = \"tcp\"\n    cidr_blocks = [\"10.0.0.0/8\"]\n  }\n}\n",
    );
    repo.commit("narrow the database ingress");

    // Opening the same range offers the unfinished session; the runbook's approval carries
    // over, the changed hunk must be decided again.
    let script = format!("'{}' review main..feature; echo EXIT=$?", bin());
    let mut s = Session::start(repo.path(), &script, &[]);
    s.wait_for("Resume it? [Y/n]");
    s.keys("\r");
    let screen = s.wait_for("resumed: 1 decisions restored · 1 hunks changed since your decision");
    assert!(screen.contains("✓ A docs/runbook.md"), "{screen}");
    assert!(
        screen.contains("   M main.tf "),
        "undecided again:\n{screen}"
    );
    s.keys("J");
    s.keys("K");
    s.wait_for("changed since your decision (you approved it)");
    s.keys("q");
    let (text, _) = s.finish();
    assert!(
        text.contains("1 of 3 hunks decided, saved in session"),
        "{text}"
    );

    // `--resume` continues it too, and the log keeps every decision ever shown.
    let script = format!("'{}' review --resume; echo EXIT=$?", bin());
    let mut s = Session::start(repo.path(), &script, &[]);
    s.wait_for("resumed: 1 decisions restored");
    s.keys("j");
    s.wait_for("1/3 decided");
    s.keys("q");
    let (text, _) = s.finish();
    assert!(text.contains("EXIT=0"), "{text}");
    let rows = sessions(&repo);
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows[0]["decided"], 1);
    assert_eq!(rows[0]["status"], "left");
    let id = rows[0]["id"].as_str().unwrap();
    let transcript = transcript(&repo, id);
    assert!(
        transcript.contains("approved, justified: vendor migration window, removed by CHG-42"),
        "{transcript}"
    );
    assert!(
        transcript.contains("on the change as it is now")
            && transcript.contains("(on the same change)"),
        "{transcript}"
    );
}

/// Runs `countersign review` in a terminal made by Python's `pty` (whose end the test can
/// close completely, as a closed terminal window does), closes it once the review is on
/// screen, and says whether countersign exited within 10 seconds.
const CLOSE_TERMINAL: &str = r#"
import fcntl, os, pty, select, struct, sys, termios, time
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    os.execv(sys.argv[1], [sys.argv[1], "review", "main..feature"])
seen, start = b"", time.time()
while b"decided" not in seen and time.time() - start < 60:
    if select.select([fd], [], [], 1)[0]:
        seen += os.read(fd, 65536)
time.sleep(0.5)
os.close(fd)
start = time.time()
while time.time() - start < 10:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        print("EXITED", status)
        sys.exit(0)
    time.sleep(0.1)
print("STILL RUNNING")
os.kill(pid, 9)
"#;

#[test]
fn closing_the_terminal_ends_the_review() {
    let repo = repo();
    let out = std::process::Command::new("python3")
        .args(["-c", CLOSE_TERMINAL, bin()])
        .current_dir(repo.path())
        .output();
    let out = match out {
        Ok(out) => out,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: python3 is needed to close a terminal completely ({e})");
            return;
        }
        Err(e) => panic!("python3 is needed (CI installs it): {e}"),
    };
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.starts_with("EXITED"),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_finished_review_is_signed_and_passes_the_gate() {
    let repo = repo();
    let key = repo.path().join("reviewer-key");
    let keygen = std::process::Command::new(bin())
        .args(["--key", key.to_str().unwrap(), "keygen", "--no-passphrase"])
        .output()
        .unwrap();
    assert!(keygen.status.success());
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let signers = repo.path().join("allowed_signers");
    std::fs::write(
        &signers,
        format!("ada@example.com namespaces=\"countersign\" {public}"),
    )
    .unwrap();
    let script = format!(
        "'{}' --key reviewer-key --reviewer 'Ada <ada@example.com>' review main..feature --out review.att; echo EXIT=$?",
        bin()
    );
    let mut s = Session::start(repo.path(), &script, &[]);
    decide_two(&mut s);
    s.keys("a");
    s.wait_for("every hunk is decided");
    s.keys("S");
    s.wait_for("verdict: approved");
    s.keys("\r");
    let (text, _) = s.finish();
    assert!(text.contains("attestation signed"), "{text}");
    assert!(text.contains("EXIT=0"), "{text}");
    // From the file and from the head commit's notes.
    for from in [&["--attestation", "review.att"][..], &["--from-notes"]] {
        let mut args = vec![
            "verify",
            "main..feature",
            "--allowed-signers",
            "allowed_signers",
        ];
        args.extend(from);
        let out = std::process::Command::new(bin())
            .args(&args)
            .current_dir(repo.path())
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{said}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            said.contains("verified: all 3 hunks approved by ada@example.com"),
            "{said}"
        );
    }
}

#[test]
fn hidden_text_is_shown_with_markers_and_flagged_on_each_hunk() {
    let repo = Repo::new();
    repo.write("iam.tf", "# iam\n")
        .write("s3.tf", "# s3\n")
        .write("notes.tf", "# notes\n");
    repo.commit("base");
    repo.branch("feature").checkout("feature");
    // An escape sequence that erases the line, a carriage return that overwrites it, and a
    // bidirectional override that reorders a comment.
    repo.write(
        "iam.tf",
        "# iam\nAction = \"*\"\x1b[2K\rAction = \"s3:GetObject\"\n",
    )
    .write(
        "s3.tf",
        "# s3\nResource = \"*\"\rResource = \"arn:aws:s3:::logs\"\n",
    )
    .write(
        "notes.tf",
        "# notes\n# access: \u{202E}nimda ot detimil\u{202C} ok\n",
    );
    repo.commit("hidden");
    let script = format!("'{}' review main..feature; echo EXIT=$?", bin());
    let mut s = Session::start(repo.path(), &script, &[]);
    s.wait_for_findings();
    let mut seen = Vec::new();
    for (file, shown) in [
        ("iam.tf", "Action = \"*\"␛[2K␍Action = \"s3:GetObject\""),
        ("notes.tf", "# access: ⟨U+202E⟩nimda ot detimil⟨U+202C⟩ ok"),
        ("s3.tf", "Resource = \"*\"␍Resource = \"arn:aws:s3:::logs\""),
    ] {
        let screen = s.wait_for(&format!("{file} · @@"));
        let screen = if screen.contains(shown) {
            screen
        } else {
            s.wait_for(shown)
        };
        assert!(screen.contains("countersign-hidden-characters"), "{screen}");
        seen.push(file);
        s.keys("J");
    }
    assert_eq!(seen.len(), 3);
    s.keys("q");
    let (text, _) = s.finish();
    assert!(text.contains("EXIT=0"), "{text}");
    let out = repo.countersign(&["check", "main..feature", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let flagged: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "countersign-hidden-characters")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(flagged, ["iam.tf", "notes.tf", "s3.tf"], "{report:#}");
}
