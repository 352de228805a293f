//! The module graph: imports point one way. `id` ← `belvo` ← `flow`; `proxy` and `emulator`
//! use `belvo` and `id`, never `flow` or each other (the Worker wires those two); the shared
//! helpers import none of the layers. Read from the source, so a new `use` that breaks the
//! direction fails here, not in a review.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The crate's modules (top-level `src/` files and directories).
const MODULES: &[&str] = &[
    "belvo", "crypto", "emulator", "flow", "id", "proxy", "rng", "text",
];

/// What each module may import from the rest of the crate.
const ALLOWED: &[(&str, &[&str])] = &[
    ("text", &[]),
    ("rng", &[]),
    ("crypto", &[]),
    ("id", &["text", "rng"]),
    ("belvo", &["id", "text"]),
    ("flow", &["belvo", "id", "text"]),
    ("proxy", &["belvo", "id", "text", "crypto"]),
    ("emulator", &["belvo", "id", "text", "rng", "crypto"]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file of a module (`src/m.rs` or everything under `src/m/`).
fn files_of(module: &str) -> Vec<PathBuf> {
    let file = src().join(format!("{module}.rs"));
    if file.is_file() {
        return vec![file];
    }
    let mut out = Vec::new();
    let mut dirs = vec![src().join(module)];
    while let Some(dir) = dirs.pop() {
        let entries = fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "module {module} has no source");
    out
}

/// The source without comments (line and block) and string literals, so that neither a doc
/// comment nor a message naming a module counts as an import.
fn code_only(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1).copied()) {
            (b'/', Some(b'/')) => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            (b'/', Some(b'*')) => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if b[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            (b'r', Some(b'#' | b'"')) if i == 0 || !is_ident(b[i - 1]) => {
                // A raw string: r"…", r#"…"#, …
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    out.push('r');
                    i += 1;
                    continue;
                }
                let end: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                i += 2 + hashes;
                while i < b.len() && !b[i..].starts_with(&end) {
                    i += 1;
                }
                i += end.len();
                out.push_str("\"\"");
            }
            (b'"', _) => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            (b'\'', _) => {
                // A char literal ('x', '\n', '\u{1f}') or a lifetime ('a): skip only the former.
                let close = b[i + 1..].iter().take(12).position(|&c| c == b'\'');
                match close {
                    Some(n) if n == 1 || b.get(i + 1) == Some(&b'\\') => i += n + 2,
                    _ => {
                        out.push('\'');
                        i += 1;
                    }
                }
            }
            (c, _) => {
                out.push(char::from(c));
                i += 1;
            }
        }
    }
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The first path segment after every `crate::` (`crate::{a::x, b}` names `a` and `b`), and
/// `super::super::…` paths that climb out of a module to a sibling.
fn crate_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let b = code.as_bytes();
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::") {
        let start = from + at;
        from = start + "crate::".len();
        if start > 0 && (is_ident(b[start - 1]) || b[start - 1] == b'$') {
            continue;
        }
        let rest = code[from..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names of the group: split at commas outside nested braces.
            let mut depth = 0;
            let mut name = String::new();
            let mut names = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => names.push(std::mem::take(&mut name)),
                    _ if depth == 0 => name.push(c),
                    _ => {}
                }
            }
            names.push(name);
            for n in names {
                let first: String = n
                    .trim()
                    .chars()
                    .take_while(|&c| is_ident(c as u8))
                    .collect();
                if !first.is_empty() {
                    found.insert(first);
                }
            }
        } else {
            let first: String = rest.chars().take_while(|&c| is_ident(c as u8)).collect();
            found.insert(first);
        }
    }
    found
}

#[test]
fn every_module_is_listed() {
    let mut on_disk = BTreeSet::new();
    for entry in fs::read_dir(src()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name != "lib" && (path.is_dir() || path.extension().is_some_and(|x| x == "rs")) {
            on_disk.insert(name);
        }
    }
    let listed: BTreeSet<String> = MODULES.iter().map(|m| m.to_string()).collect();
    assert_eq!(
        on_disk, listed,
        "a module was added or removed: place it in the graph"
    );
    let ruled: BTreeSet<String> = ALLOWED.iter().map(|(m, _)| m.to_string()).collect();
    assert_eq!(ruled, listed);
}

#[test]
fn imports_point_one_way() {
    let mut broken = Vec::new();
    for &(module, allowed) in ALLOWED {
        for file in files_of(module) {
            let text = fs::read_to_string(&file).unwrap();
            let code = code_only(&text);
            let rel = file
                .strip_prefix(src())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            assert!(
                !code.contains("super::super::"),
                "{rel}: reach other modules through `crate::`, so this test sees it"
            );
            for used in crate_modules(&code) {
                if used == module || allowed.contains(&used.as_str()) {
                    continue;
                }
                assert!(
                    MODULES.contains(&used.as_str()),
                    "{rel}: `crate::{used}` is not a known module"
                );
                broken.push(format!("{rel} imports crate::{used}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "imports against the direction:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_scanner_sees_imports() {
    let code = code_only(
        "use crate::{belvo::wire::X, id::{self, Date}};\n\
         // use crate::flow;\n\
         /* crate::proxy */ let s = \"crate::emulator\"; let r = r#\"crate::rng\"#;\n\
         let c = '\"'; fn f<'a>(x: &'a str) { crate::text::find(x, \"\"); }",
    );
    let found: Vec<String> = crate_modules(&code).into_iter().collect();
    assert_eq!(found, ["belvo", "id", "text"]);
}
