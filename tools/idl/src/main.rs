//! `ballast-idl <program dir> <out.json> <out.ts>`: builds the program's IDL with
//! `anchor_lang_idl::build::IdlBuilder` (it runs `cargo test __anchor_private_print_idl
//! --features idl-build` in the program directory, exactly as `anchor idl build` does) and writes
//! the JSON and the TypeScript type (`export type Ballast = {...}`) the Anchor CLI would write.

use anchor_lang_idl::build::IdlBuilder;
use anchor_lang_idl::types::Idl;
use anyhow::{Context, Result};
use heck::{ToLowerCamelCase, ToUpperCamelCase};
use regex::Regex;
use std::path::PathBuf;

/// Is `name` a base58 public key (as the CLI's `Pubkey::from_str(name).is_ok()`)?
fn is_pubkey(name: &str) -> bool {
    name.len() <= 44 && bs58::decode(name).into_vec().is_ok_and(|bytes| bytes.len() == 32)
}

/// The CLI's `idl_ts`: every `"key":"value"` string value (not a pubkey) in lowerCamelCase,
/// pretty printed, as `export type <PascalName> = ...;`.
fn idl_ts(idl: &Idl) -> Result<String> {
    let idl_name = &idl.metadata.name;
    let type_name = idl_name.to_upper_camel_case();
    let json = serde_json::to_string(idl)?;
    let camel = Regex::new(r#""\w+":"([\w\d]+)""#)?.captures_iter(&json).fold(json.clone(), |acc, cur| {
        let name = cur.get(1).unwrap().as_str();
        if is_pubkey(name) {
            return acc;
        }
        let camel_name = name.to_lower_camel_case();
        acc.replace(&format!(r#""{name}""#), &format!(r#""{camel_name}""#))
    });
    let camel = serde_json::to_string_pretty(&serde_json::from_str::<Idl>(&camel)?)?;
    Ok(format!(
        r#"/**
 * Program IDL in camelCase format in order to be used in JS/TS.
 *
 * Note that this is only a type helper and is not the actual IDL. The original
 * IDL can be found at `target/idl/{idl_name}.json`.
 */
export type {type_name} = {camel};
"#
    ))
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [program, json_out, ts_out] = &args[..] else {
        anyhow::bail!("usage: ballast-idl <program dir> <out.json> <out.ts>");
    };
    // IdlBuilder would prefix `cargo` with a literal "+{toolchain}" if this is set; the program
    // directory's rust-toolchain.toml picks the toolchain anyway.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let idl = IdlBuilder::new()
        .program_path(PathBuf::from(program))
        .resolution(true)
        .skip_lint(false)
        .cargo_args(vec!["--locked".into()])
        .build()
        .context("building the IDL")?;
    std::fs::write(json_out, serde_json::to_string_pretty(&idl)?)?;
    std::fs::write(ts_out, idl_ts(&idl)?)?;
    eprintln!(
        "IDL: {} instructions, {} accounts, {} types, {} errors -> {json_out}, {ts_out}",
        idl.instructions.len(),
        idl.accounts.len(),
        idl.types.len(),
        idl.errors.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn pubkeys_are_recognised() {
        assert!(super::is_pubkey("AxKxQ7pR8RKQDTo5BycZbrhA4qz2eDT5Y4gpNLBbW9A"));
        assert!(!super::is_pubkey("init_market"));
        assert!(!super::is_pubkey("u64"));
    }
}
