//! Hostile input, files and devices (issue 13): output that cannot be
//! written, exports that fail half-way or race, symbolic links, device files,
//! FIFOs and huge files. Each test names the finding it keeps fixed.
//! Tests that need something this machine may lack (`/dev/full`, a non-root
//! user) say why they are skipped on stderr.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn critmin_in(folder: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_critmin"))
        .args(args)
        .current_dir(folder)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Runs critmin under `sh` with a file-size limit (`ulimit -f`, in 512-byte
/// blocks) and SIGXFSZ ignored, so that a write over the limit fails with
/// EFBIG as on a full disk.
fn critmin_with_file_limit(folder: &Path, blocks: u32, args: &str) -> Output {
    let script = format!(
        "trap '' XFSZ; ulimit -f {blocks}; exec '{}' {args}",
        env!("CARGO_BIN_EXE_critmin")
    );
    Command::new("sh")
        .args(["-c", &script])
        .current_dir(folder)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

fn leftovers(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().to_string())
        .filter(|name| name.starts_with(".critmin-"))
        .collect()
}

/// Finding 3: a write error on stdout other than a closed pipe exits 2 with
/// a message, and later statements do not run.
#[test]
fn a_full_stdout_is_an_error_not_silence() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: /dev/full is not available here");
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_critmin"))
        .args([
            "-e",
            "list minerals",
            "-e",
            "show germanium | export \"after.json\"",
        ])
        .current_dir(folder.path())
        .stdin(Stdio::null())
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot write to standard output"),
        "{}",
        stderr(&output)
    );
    assert!(!folder.path().join("after.json").exists());
}

/// Findings 4 and 5: a failed export leaves no temporary file behind, and a
/// CSV set is published as one unit: a failure half-way through leaves the
/// old set whole.
#[test]
fn a_failed_export_leaves_no_debris_and_no_mixed_csv_set() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path();
    let output = critmin_with_file_limit(path, 8, "export --all -o all.json");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!path.join("all.json").exists());
    assert_eq!(leftovers(path), Vec::<String>::new());

    for name in ["g.sources.csv", "g.nodes.csv", "g.edges.csv"] {
        std::fs::write(path.join(name), "old\n").unwrap();
    }
    // The sources file of this export fits in 8 KB; the nodes file does not.
    let output = critmin_with_file_limit(path, 16, "export 'show germanium' -o g.csv --force");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    for name in ["g.sources.csv", "g.nodes.csv", "g.edges.csv"] {
        assert_eq!(
            std::fs::read_to_string(path.join(name)).unwrap(),
            "old\n",
            "{name} was replaced although the export failed"
        );
    }
    assert_eq!(leftovers(path), Vec::<String>::new());
}

/// Finding 6: of writers racing to a new name without `force`, exactly one
/// succeeds, every round.
#[test]
fn concurrent_exporters_to_a_new_name_have_one_winner() {
    let folder = tempfile::tempdir().unwrap();
    for round in 0..40 {
        let target = folder.path().join(format!("race-{round}.json"));
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
        let handles: Vec<_> = (0..4)
            .map(|writer| {
                let (target, barrier) = (target.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    critmin::export::write_atomically(&target, &format!("{writer}\n"), false)
                        .is_ok()
                })
            })
            .collect();
        let winners = handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .filter(|won| *won)
            .count();
        assert_eq!(winners, 1, "round {round}");
    }
    assert_eq!(leftovers(folder.path()), Vec::<String>::new());
}

/// Finding 7: links and device files are not replaced, with or without
/// `--force`; a dangling link is not written through.
#[test]
fn links_and_devices_are_refused() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path();
    std::fs::write(path.join("real.json"), "mine\n").unwrap();
    std::os::unix::fs::symlink("real.json", path.join("link.json")).unwrap();
    std::os::unix::fs::symlink("nowhere.json", path.join("dangling.json")).unwrap();
    for (target, force) in [
        ("link.json", true),
        ("dangling.json", false),
        ("dangling.json", true),
    ] {
        let mut args = vec!["export", "show germanium", "-o", target];
        if force {
            args.push("--force");
        }
        let output = critmin_in(path, &args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{target}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("symbolic link"),
            "{}",
            stderr(&output)
        );
    }
    assert!(
        path.join("link.json")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(path.join("real.json")).unwrap(),
        "mine\n"
    );
    assert!(!path.join("nowhere.json").exists());
    if Path::new("/dev/full").exists() {
        let output = critmin_in(
            path,
            &["export", "show germanium", "-o", "/dev/full", "--force"],
        );
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("not a regular file"),
            "{}",
            stderr(&output)
        );
        use std::os::unix::fs::FileTypeExt;
        let kind = std::fs::metadata("/dev/full").unwrap().file_type();
        assert!(kind.is_char_device());
    } else {
        eprintln!("skipped the /dev/full part: it is not available here");
    }
    assert_eq!(leftovers(path), Vec::<String>::new());
}

/// Finding 7: a FIFO is written through (`-o` a pipe), not replaced.
#[test]
fn a_fifo_target_is_written_through() {
    let folder = tempfile::tempdir().unwrap();
    let fifo = folder.path().join("pipe.json");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("skipped: mkfifo is not available here");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let output = critmin_in(
        folder.path(),
        &["export", "show germanium", "-o", "pipe.json"],
    );
    if output.status.code() != Some(0) {
        // Release the reader, which would otherwise wait for a writer forever.
        drop(std::fs::OpenOptions::new().write(true).open(&fifo));
    }
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(reader.join().unwrap().contains("critmin-graph"));
    use std::os::unix::fs::FileTypeExt;
    assert!(fifo.metadata().unwrap().file_type().is_fifo());
}

/// Finding 15: a forced replace keeps the file's mode.
#[test]
fn a_forced_replace_keeps_the_mode() {
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("private.json");
    std::fs::write(&target, "old\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    let output = critmin_in(
        folder.path(),
        &["export", "show germanium", "-o", "private.json", "--force"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mode = target.metadata().unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("critmin-graph")
    );
}

/// Finding 19: a folder name is refused, not turned into `dir.nodes.csv`
/// beside it.
#[test]
fn an_export_to_a_folder_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::create_dir(folder.path().join("dir")).unwrap();
    for args in [
        vec!["export", "show germanium", "-o", "dir/", "--as", "csv"],
        vec!["-e", "show germanium | export \"dir\" as csv"],
    ] {
        let output = critmin_in(folder.path(), &args);
        assert_ne!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("is a folder"),
            "{}",
            stderr(&output)
        );
    }
    assert!(!folder.path().join("dir.nodes.csv").exists());
}

/// Finding 14: the export is built from the parsed query: a comment does
/// not drop it, and two statements are refused rather than half-run.
#[test]
fn export_queries_are_parsed_not_spliced() {
    let folder = tempfile::tempdir().unwrap();
    let output = critmin_in(
        folder.path(),
        &["export", "list minerals # note", "-o", "f.json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(folder.path().join("f.json").exists());
    let output = critmin_in(
        folder.path(),
        &["export", "list minerals; list countries", "-o", "g.json"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(!folder.path().join("g.json").exists());
}

/// Finding 8: input files are checked by name and metadata before they
/// are read: a device, a FIFO and a file over the limit are refused at once.
#[test]
fn devices_fifos_and_huge_files_are_not_read() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path();
    let output = critmin_in(path, &["check", "--graph", "/dev/zero"]);
    assert_ne!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("not a graph file"),
        "{}",
        stderr(&output)
    );

    let fifo = path.join("fifo.json");
    if Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        // Reading a FIFO nobody writes to would block forever.
        let output = critmin_in(path, &["check", "--graph", "fifo.json"]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("not a regular file"),
            "{}",
            stderr(&output)
        );
    } else {
        eprintln!("skipped the FIFO part: mkfifo is not available here");
    }

    // A sparse 3 GB file: refused from its size, never read.
    let huge = std::fs::File::create(path.join("huge.json")).unwrap();
    huge.set_len(3 << 30).unwrap();
    let output = critmin_in(path, &["check", "--graph", "huge.json"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--max-file-size"),
        "{}",
        stderr(&output)
    );

    std::fs::write(path.join("small.json"), "{}").unwrap();
    let output = critmin_in(
        path,
        &["check", "--graph", "small.json", "--max-file-size", "1"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

/// Finding 18: an unreadable folder is reported as unreadable.
#[test]
fn an_unreadable_folder_says_so() {
    let folder = tempfile::tempdir().unwrap();
    let locked = folder.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("g.json"), "{}").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&locked).is_ok() {
        eprintln!("skipped: this user (root?) can read a folder with mode 000");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        return;
    }
    let output = critmin_in(folder.path(), &["check", "--graph", "locked"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot read the folder"),
        "{}",
        stderr(&output)
    );
}
