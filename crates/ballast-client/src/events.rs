//! Anchor events out of a transaction's log lines: the one implementation the indexer
//! (`ballast_indexer::decode::decode_logs`) and the test harness (`ballast_tests::events`) use.
//!
//! Anchor's `emit!` logs `Program data: <base64>` (native builds log the same line behind
//! `Program log: `, see `ballast::runtime`): an 8-byte discriminator, then the event's Borsh body.
//! Only lines logged while the given program is itself the innermost executing program count
//! (the invoke stack is followed from the runtime's `invoke` / `success` / `failed` lines), so
//! another program in the same transaction, whether it calls the program or is called by it,
//! cannot forge one of its events by logging the bytes. Logs without the runtime's invoke lines
//! therefore yield nothing.

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AnchorDeserialize, Discriminator, Event};
use base64::Engine;

/// The raw bytes (discriminator, then body) of every `Program data:` line logged while
/// `program_id` is the innermost executing program, in order. Lines that are not valid base64
/// are skipped.
pub fn program_event_data(logs: &[String], program_id: &Pubkey) -> Vec<Vec<u8>> {
    let program = program_id.to_string();
    let mut stack: Vec<&str> = Vec::new();
    let mut found = Vec::new();
    for line in logs {
        let line = line.as_str();
        if let Some(rest) = line.strip_prefix("Program ") {
            // "Program <id> invoke [n]", "Program <id> success", "Program <id> failed: ...".
            // A program's own lines ("Program log: ...", "Program data: ...") never match: their
            // second word is not one of these verbs.
            let mut words = rest.split(' ');
            let (id, verb) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            if verb == "invoke" {
                stack.push(id);
                continue;
            }
            if (verb == "success" || verb == "failed:") && stack.last() == Some(&id) {
                stack.pop();
                continue;
            }
        }
        if stack.last() != Some(&program.as_str()) {
            continue;
        }
        let Some(b64) = line.split("Program data: ").nth(1) else { continue };
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(b64.trim()) else { continue };
        found.push(bytes);
    }
    found
}

/// The events of type `E` that `program_id` logged (see [`program_event_data`]), in order.
/// Event bytes with `E`'s discriminator whose body does not deserialize as `E` are skipped; use
/// [`try_events`] to see them as errors.
pub fn events<E: Event + AnchorDeserialize + Discriminator>(logs: &[String], program_id: &Pubkey) -> Vec<E> {
    try_events(logs, program_id).into_iter().filter_map(Result::ok).collect()
}

/// As [`events`], with a body that does not deserialize as `E` kept as its error (in its place).
pub fn try_events<E: Event + AnchorDeserialize + Discriminator>(
    logs: &[String],
    program_id: &Pubkey,
) -> Vec<std::io::Result<E>> {
    program_event_data(logs, program_id)
        .into_iter()
        .filter(|data| data.starts_with(E::DISCRIMINATOR))
        .map(|data| E::deserialize(&mut &data[E::DISCRIMINATOR.len()..]))
        .collect()
}

/// The line `emit!` logs for an event (`Program data: <base64 of discriminator and body>`): what
/// [`program_event_data`] reads back, for tests and fixtures that write logs.
pub fn data_line(event: &impl Event) -> String {
    format!("Program data: {}", base64::engine::general_purpose::STANDARD.encode(event.data()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballast::events::{DepositEvent, FlashBorrowEvent, LiquidateEvent};

    fn key(n: u8) -> Pubkey {
        Pubkey::new_from_array([n; 32])
    }

    fn deposit() -> DepositEvent {
        DepositEvent { obligation: key(1), reserve: key(2), amount: 5, supply_shares_minted: 4 }
    }

    fn wrapped(program: &Pubkey, depth: u8, inner: Vec<String>) -> Vec<String> {
        let mut logs = vec![format!("Program {program} invoke [{depth}]"), "Program log: Instruction: X".into()];
        logs.extend(inner);
        logs.push(format!("Program {program} consumed 1000 of 200000 compute units"));
        logs.push(format!("Program {program} success"));
        logs
    }

    #[test]
    fn data_lines_in_both_forms_in_order() {
        let flash = FlashBorrowEvent { reserve: key(4), amount: 7 };
        // The native build's form (`Program log: Program data: ...`) counts too.
        let logs = wrapped(
            &ballast::ID,
            1,
            vec![data_line(&deposit()), format!("Program log: {}", data_line(&flash)), data_line(&deposit())],
        );
        assert_eq!(program_event_data(&logs, &ballast::ID), vec![deposit().data(), flash.data(), deposit().data()]);
        let deposits: Vec<DepositEvent> = events(&logs, &ballast::ID);
        assert_eq!(deposits.len(), 2);
        assert_eq!((deposits[0].obligation, deposits[0].amount), (key(1), 5));
        let flashes: Vec<FlashBorrowEvent> = events(&logs, &ballast::ID);
        assert_eq!((flashes.len(), flashes[0].amount), (1, 7));
        assert!(events::<LiquidateEvent>(&logs, &ballast::ID).is_empty());
        assert!(program_event_data(&logs, &key(77)).is_empty(), "another program's id");
    }

    #[test]
    fn only_the_programs_own_data_lines_count() {
        let other = key(77);
        // Another program logs Ballast's event bytes (a forgery) inside and outside a CPI.
        let mut logs =
            vec![format!("Program {other} invoke [1]"), data_line(&deposit()), format!("Program {other} success")];
        let mut inner =
            vec![format!("Program {other} invoke [2]"), data_line(&deposit()), format!("Program {other} success")];
        inner.push(data_line(&deposit()));
        logs.extend(wrapped(&ballast::ID, 1, inner));
        logs.push("Program data: not base64 !!".into());
        assert_eq!(program_event_data(&logs, &ballast::ID).len(), 1, "only the line Ballast logged itself");
        assert_eq!(events::<DepositEvent>(&logs, &ballast::ID).len(), 1);
    }

    #[test]
    fn called_by_another_program_and_after_a_failed_call() {
        let caller = key(7);
        let callee = key(9);
        // Ballast at depth 2 under a forwarder (as `TestEnv::through_cpi` sends it); the caller's
        // own data lines before and after do not count, nor do its callee's, and the callee's
        // `failed:` line returns the stack to Ballast.
        let mut logs = vec![format!("Program {caller} invoke [1]"), data_line(&deposit())];
        let mut inner = vec![
            format!("Program {callee} invoke [3]"),
            data_line(&deposit()),
            format!("Program {callee} failed: custom program error: 0x1"),
        ];
        inner.push(format!("Program log: {}", data_line(&deposit())));
        logs.extend(wrapped(&ballast::ID, 2, inner));
        logs.push(data_line(&deposit()));
        logs.push(format!("Program {caller} success"));
        assert_eq!(program_event_data(&logs, &ballast::ID), vec![deposit().data()]);
        // A line without the runtime's invoke lines around it is nobody's.
        assert!(program_event_data(&[data_line(&deposit())], &ballast::ID).is_empty());
    }

    #[test]
    fn bad_base64_is_skipped_and_a_bad_body_is_an_error() {
        let mut truncated = deposit().data();
        truncated.truncate(20);
        let logs = wrapped(
            &ballast::ID,
            1,
            vec![
                "Program data: not base64 !!".into(),
                format!("Program data: {}", base64::engine::general_purpose::STANDARD.encode(&truncated)),
                data_line(&deposit()),
            ],
        );
        assert_eq!(program_event_data(&logs, &ballast::ID), vec![truncated, deposit().data()]);
        let tried = try_events::<DepositEvent>(&logs, &ballast::ID);
        assert_eq!(tried.len(), 2);
        assert!(tried[0].is_err(), "the short body");
        assert_eq!(tried[1].as_ref().unwrap().amount, 5);
        assert_eq!(events::<DepositEvent>(&logs, &ballast::ID).len(), 1, "the short body skipped");
    }
}
