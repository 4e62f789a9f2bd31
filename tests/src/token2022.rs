//! Real Token-2022 mints with extensions, created through the Token-2022 program itself.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022;
use solana_keypair::Keypair;
use solana_signer::Signer;
use spl_token_2022::extension::ExtensionType;

use crate::TestEnv;

/// A mint extension a test wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MintExtension {
    TransferFee,
    TransferHook,
    PermanentDelegate,
    MintCloseAuthority,
    MetadataPointer,
}

impl MintExtension {
    fn extension_type(self) -> ExtensionType {
        match self {
            MintExtension::TransferFee => ExtensionType::TransferFeeConfig,
            MintExtension::TransferHook => ExtensionType::TransferHook,
            MintExtension::PermanentDelegate => ExtensionType::PermanentDelegate,
            MintExtension::MintCloseAuthority => ExtensionType::MintCloseAuthority,
            MintExtension::MetadataPointer => ExtensionType::MetadataPointer,
        }
    }
}

impl TestEnv {
    /// A Token-2022 mint with `extensions`, the payer as mint authority.
    pub async fn create_mint_2022(&mut self, decimals: u8, extensions: &[MintExtension]) -> Pubkey {
        let id = spl_token_2022::ID;
        let mint = Keypair::new();
        let payer = self.payer().pubkey();
        let types: Vec<ExtensionType> = extensions.iter().map(|e| e.extension_type()).collect();
        let len = ExtensionType::try_calculate_account_len::<spl_token_2022::state::Mint>(&types).unwrap();
        let rent = self.rent_exempt(len).await;
        let m = &mint.pubkey();
        let mut ixs = vec![solana_system_interface::instruction::create_account(&payer, m, rent, len as u64, &id)];
        for extension in extensions {
            use spl_token_2022::extension as ext;
            ixs.push(match extension {
                MintExtension::TransferFee => ext::transfer_fee::instruction::initialize_transfer_fee_config(
                    &id,
                    m,
                    Some(&payer),
                    Some(&payer),
                    100,
                    u64::MAX,
                )
                .unwrap(),
                MintExtension::TransferHook => {
                    ext::transfer_hook::instruction::initialize(&id, m, Some(payer), Some(Pubkey::new_unique()))
                        .unwrap()
                }
                MintExtension::PermanentDelegate => {
                    spl_token_2022::instruction::initialize_permanent_delegate(&id, m, &payer).unwrap()
                }
                MintExtension::MintCloseAuthority => {
                    spl_token_2022::instruction::initialize_mint_close_authority(&id, m, Some(&payer)).unwrap()
                }
                MintExtension::MetadataPointer => {
                    ext::metadata_pointer::instruction::initialize(&id, m, Some(payer), Some(*m)).unwrap()
                }
            });
        }
        ixs.push(spl_token_2022::instruction::initialize_mint2(&id, m, &payer, None, decimals).unwrap());
        self.send_ok(&ixs, &[&mint]).await;
        mint.pubkey()
    }

    /// A Token-2022 token account for `owner`, sized for whatever the mint's extensions require.
    pub async fn create_token_account_2022(&mut self, mint: &Pubkey, owner: &Pubkey) -> Pubkey {
        use spl_token_2022::extension::{BaseStateWithExtensions, StateWithExtensions};
        let id = spl_token_2022::ID;
        let mint_data = self.account(mint).await.expect("mint exists").data;
        let mint_state = StateWithExtensions::<spl_token_2022::state::Mint>::unpack(&mint_data).unwrap();
        let required = ExtensionType::get_required_init_account_extensions(&mint_state.get_extension_types().unwrap());
        let len = ExtensionType::try_calculate_account_len::<spl_token_2022::state::Account>(&required).unwrap();
        let account = Keypair::new();
        let payer = self.payer().pubkey();
        let rent = self.rent_exempt(len).await;
        let ixs = [
            solana_system_interface::instruction::create_account(&payer, &account.pubkey(), rent, len as u64, &id),
            spl_token_2022::instruction::initialize_account3(&id, &account.pubkey(), mint, owner).unwrap(),
        ];
        self.send_ok(&ixs, &[&account]).await;
        account.pubkey()
    }

    pub async fn mint_to_2022(&mut self, mint: &Pubkey, account: &Pubkey, amount: u64) {
        let payer = self.payer().pubkey();
        let ix = spl_token_2022::instruction::mint_to(&spl_token_2022::ID, mint, account, &payer, &[], amount).unwrap();
        self.send_ok(&[ix], &[]).await;
    }
}
