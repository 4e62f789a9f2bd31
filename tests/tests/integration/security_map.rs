//! SECURITY.md must not name a test that does not exist: every `module::test` it cites is
//! checked against the source of that module.

use std::path::Path;

fn source_of(reference: &str, root: &Path) -> Option<std::path::PathBuf> {
    let (file, _) = reference.rsplit_once("::")?;
    let candidates = [
        root.join("tests/tests/integration").join(format!("{file}.rs")),
        root.join("crates/ballast-math/tests").join(file),
        root.join("crates/ballast-math/src").join(file),
        root.join(file), // a path from the repository root
    ];
    candidates.into_iter().find(|p| p.is_file())
}

#[test]
fn every_test_named_in_security_md_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let map = std::fs::read_to_string(root.join("SECURITY.md")).expect("SECURITY.md exists");
    let mut checked = 0;
    for reference in map.split('`').skip(1).step_by(2) {
        let Some((_, name)) = reference.rsplit_once("::") else { continue };
        if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') || name.is_empty() {
            continue;
        }
        let Some(path) = source_of(reference, root) else {
            // `module::name` forms that are not test references (e.g. `token::require_vault_moved`).
            continue;
        };
        let source = std::fs::read_to_string(&path).unwrap();
        assert!(
            source.contains(&format!("fn {name}(")),
            "SECURITY.md cites `{reference}`, but {} has no such test",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} test references found in SECURITY.md");
}
