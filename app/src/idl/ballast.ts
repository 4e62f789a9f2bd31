/**
 * Program IDL in camelCase format in order to be used in JS/TS.
 *
 * Note that this is only a type helper and is not the actual IDL. The original
 * IDL can be found at `target/idl/ballast.json`.
 */
export type Ballast = {
  "address": "AxKxQ7pR8RKQDTo5BycZbrhA4qz2eDT5Y4gpNLBbW9A",
  "metadata": {
    "name": "ballast",
    "version": "0.1.0",
    "spec": "0.1.0",
    "description": "Ballast: an over-collateralized lending protocol on Solana"
  },
  "instructions": [
    {
      "name": "acceptAuthority",
      "discriminator": [
        107,
        86,
        198,
        91,
        33,
        12,
        107,
        160
      ],
      "accounts": [
        {
          "name": "newAuthority",
          "signer": true
        },
        {
          "name": "market",
          "writable": true
        }
      ],
      "args": []
    },
    {
      "name": "borrow",
      "discriminator": [
        228,
        253,
        131,
        202,
        207,
        116,
        89,
        18
      ],
      "accounts": [
        {
          "name": "owner",
          "signer": true,
          "relations": [
            "obligation"
          ]
        },
        {
          "name": "market",
          "relations": [
            "reserve",
            "obligation"
          ]
        },
        {
          "name": "reserve",
          "writable": true
        },
        {
          "name": "obligation",
          "writable": true
        },
        {
          "name": "mint",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "vaultAuthority",
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116,
                  45,
                  97,
                  117,
                  116,
                  104,
                  111,
                  114,
                  105,
                  116,
                  121
                ]
              },
              {
                "kind": "account",
                "path": "reserve"
              }
            ]
          }
        },
        {
          "name": "destination",
          "writable": true
        },
        {
          "name": "tokenProgram",
          "relations": [
            "reserve"
          ]
        }
      ],
      "args": [
        {
          "name": "amount",
          "type": "u64"
        }
      ]
    },
    {
      "name": "closeObligation",
      "discriminator": [
        178,
        182,
        18,
        237,
        158,
        158,
        51,
        124
      ],
      "accounts": [
        {
          "name": "owner",
          "writable": true,
          "signer": true,
          "relations": [
            "obligation"
          ]
        },
        {
          "name": "obligation",
          "writable": true
        }
      ],
      "args": []
    },
    {
      "name": "deposit",
      "discriminator": [
        242,
        35,
        198,
        137,
        82,
        225,
        242,
        182
      ],
      "accounts": [
        {
          "name": "owner",
          "signer": true,
          "relations": [
            "obligation"
          ]
        },
        {
          "name": "market",
          "relations": [
            "reserve",
            "obligation"
          ]
        },
        {
          "name": "reserve",
          "writable": true
        },
        {
          "name": "obligation",
          "writable": true
        },
        {
          "name": "mint",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "source",
          "writable": true
        },
        {
          "name": "tokenProgram",
          "relations": [
            "reserve"
          ]
        }
      ],
      "args": [
        {
          "name": "amount",
          "type": "u64"
        }
      ]
    },
    {
      "name": "flashBorrow",
      "discriminator": [
        166,
        221,
        220,
        25,
        61,
        73,
        127,
        240
      ],
      "accounts": [
        {
          "name": "user",
          "signer": true
        },
        {
          "name": "market",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "reserve",
          "writable": true
        },
        {
          "name": "mint",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "vaultAuthority",
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116,
                  45,
                  97,
                  117,
                  116,
                  104,
                  111,
                  114,
                  105,
                  116,
                  121
                ]
              },
              {
                "kind": "account",
                "path": "reserve"
              }
            ]
          }
        },
        {
          "name": "destination",
          "writable": true
        },
        {
          "name": "tokenProgram",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "instructions"
        }
      ],
      "args": [
        {
          "name": "amount",
          "type": "u64"
        }
      ]
    },
    {
      "name": "flashRepay",
      "discriminator": [
        182,
        143,
        19,
        23,
        39,
        221,
        184,
        78
      ],
      "accounts": [
        {
          "name": "user",
          "signer": true
        },
        {
          "name": "market",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "reserve",
          "writable": true
        },
        {
          "name": "mint",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "source",
          "writable": true
        },
        {
          "name": "tokenProgram",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "instructions",
          "docs": [
            "same layout as its borrow."
          ]
        }
      ],
      "args": [
        {
          "name": "amount",
          "type": "u64"
        }
      ]
    },
    {
      "name": "getHealth",
      "discriminator": [
        210,
        195,
        231,
        219,
        9,
        146,
        183,
        83
      ],
      "accounts": [
        {
          "name": "market",
          "relations": [
            "obligation"
          ]
        },
        {
          "name": "obligation"
        }
      ],
      "args": [
        {
          "name": "initial",
          "type": "bool"
        }
      ],
      "returns": {
        "defined": {
          "name": "healthReport"
        }
      }
    },
    {
      "name": "initMarket",
      "discriminator": [
        33,
        253,
        15,
        116,
        89,
        25,
        127,
        236
      ],
      "accounts": [
        {
          "name": "authority",
          "writable": true,
          "signer": true
        },
        {
          "name": "market",
          "writable": true,
          "signer": true
        },
        {
          "name": "systemProgram",
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": [
        {
          "name": "quoteCurrency",
          "type": {
            "array": [
              "u8",
              8
            ]
          }
        },
        {
          "name": "params",
          "type": {
            "defined": {
              "name": "marketConfigParams"
            }
          }
        }
      ]
    },
    {
      "name": "initObligation",
      "discriminator": [
        251,
        10,
        231,
        76,
        27,
        11,
        159,
        96
      ],
      "accounts": [
        {
          "name": "owner",
          "writable": true,
          "signer": true
        },
        {
          "name": "market"
        },
        {
          "name": "obligation",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  111,
                  98,
                  108,
                  105,
                  103,
                  97,
                  116,
                  105,
                  111,
                  110
                ]
              },
              {
                "kind": "account",
                "path": "market"
              },
              {
                "kind": "account",
                "path": "owner"
              }
            ]
          }
        },
        {
          "name": "systemProgram",
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": []
    },
    {
      "name": "initReserve",
      "discriminator": [
        138,
        245,
        71,
        225,
        153,
        4,
        3,
        43
      ],
      "accounts": [
        {
          "name": "authority",
          "writable": true,
          "signer": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "market",
          "writable": true
        },
        {
          "name": "reserve",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  114,
                  101,
                  115,
                  101,
                  114,
                  118,
                  101
                ]
              },
              {
                "kind": "account",
                "path": "market"
              },
              {
                "kind": "account",
                "path": "mint"
              }
            ]
          }
        },
        {
          "name": "mint",
          "docs": [
            "Checked before the vault is created: Token-2022 extensions must be on the allow-list."
          ]
        },
        {
          "name": "vaultAuthority",
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116,
                  45,
                  97,
                  117,
                  116,
                  104,
                  111,
                  114,
                  105,
                  116,
                  121
                ]
              },
              {
                "kind": "account",
                "path": "reserve"
              }
            ]
          }
        },
        {
          "name": "vault",
          "writable": true,
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116
                ]
              },
              {
                "kind": "account",
                "path": "reserve"
              }
            ]
          }
        },
        {
          "name": "oracle"
        },
        {
          "name": "seedSource",
          "docs": [
            "The authority's tokens for the creation deposit."
          ],
          "writable": true
        },
        {
          "name": "tokenProgram"
        },
        {
          "name": "systemProgram",
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": [
        {
          "name": "params",
          "type": {
            "defined": {
              "name": "reserveConfigParams"
            }
          }
        },
        {
          "name": "initialDeposit",
          "type": "u64"
        }
      ]
    },
    {
      "name": "initSubObligation",
      "discriminator": [
        167,
        134,
        92,
        227,
        251,
        28,
        67,
        106
      ],
      "accounts": [
        {
          "name": "owner",
          "writable": true,
          "signer": true
        },
        {
          "name": "market"
        },
        {
          "name": "obligation",
          "writable": true
        },
        {
          "name": "systemProgram",
          "address": "11111111111111111111111111111111"
        }
      ],
      "args": [
        {
          "name": "obligationId",
          "type": "u8"
        }
      ]
    },
    {
      "name": "liquidate",
      "discriminator": [
        223,
        179,
        226,
        125,
        48,
        46,
        39,
        74
      ],
      "accounts": [
        {
          "name": "liquidator",
          "signer": true
        },
        {
          "name": "market",
          "relations": [
            "obligation",
            "repayReserve",
            "collateralReserve",
            "liquidatorObligation"
          ]
        },
        {
          "name": "obligation",
          "writable": true
        },
        {
          "name": "repayReserve",
          "writable": true
        },
        {
          "name": "repayMint"
        },
        {
          "name": "repayVault",
          "writable": true
        },
        {
          "name": "repaySource",
          "docs": [
            "The liquidator's tokens of the debt being repaid."
          ],
          "writable": true
        },
        {
          "name": "collateralReserve",
          "docs": [
            "May be `repay_reserve` itself: a looped position (collateral and debt in one reserve) is",
            "liquidated like any other."
          ],
          "writable": true
        },
        {
          "name": "collateralMint"
        },
        {
          "name": "collateralVault",
          "writable": true
        },
        {
          "name": "collateralVaultAuthority",
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116,
                  45,
                  97,
                  117,
                  116,
                  104,
                  111,
                  114,
                  105,
                  116,
                  121
                ]
              },
              {
                "kind": "account",
                "path": "collateralReserve"
              }
            ]
          }
        },
        {
          "name": "collateralDestination",
          "docs": [
            "Where the liquidator receives the seized collateral."
          ],
          "writable": true
        },
        {
          "name": "repayTokenProgram"
        },
        {
          "name": "collateralTokenProgram"
        },
        {
          "name": "liquidatorObligation",
          "docs": [
            "The liquidator's own obligation in this market, credited with the seized collateral as",
            "supply shares when `receive_shares` (then no token leaves the collateral vault)."
          ],
          "writable": true,
          "optional": true
        }
      ],
      "args": [
        {
          "name": "repayAmount",
          "type": "u64"
        },
        {
          "name": "minCollateralOut",
          "type": "u64"
        },
        {
          "name": "receiveShares",
          "type": "bool"
        }
      ]
    },
    {
      "name": "markLiquidatable",
      "discriminator": [
        214,
        191,
        84,
        52,
        246,
        210,
        126,
        82
      ],
      "accounts": [
        {
          "name": "market",
          "relations": [
            "obligation"
          ]
        },
        {
          "name": "obligation",
          "writable": true
        }
      ],
      "args": []
    },
    {
      "name": "pauseMarket",
      "discriminator": [
        216,
        238,
        4,
        164,
        65,
        11,
        162,
        91
      ],
      "accounts": [
        {
          "name": "authority",
          "signer": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "market",
          "writable": true
        }
      ],
      "args": [
        {
          "name": "durationSecs",
          "type": "u64"
        }
      ]
    },
    {
      "name": "proposeAuthority",
      "discriminator": [
        20,
        148,
        236,
        198,
        76,
        119,
        99,
        142
      ],
      "accounts": [
        {
          "name": "authority",
          "signer": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "market",
          "writable": true
        }
      ],
      "args": [
        {
          "name": "newAuthority",
          "type": "pubkey"
        }
      ]
    },
    {
      "name": "repay",
      "discriminator": [
        234,
        103,
        67,
        82,
        208,
        234,
        219,
        166
      ],
      "accounts": [
        {
          "name": "payer",
          "signer": true
        },
        {
          "name": "market",
          "relations": [
            "reserve",
            "obligation"
          ]
        },
        {
          "name": "reserve",
          "writable": true
        },
        {
          "name": "obligation",
          "writable": true
        },
        {
          "name": "mint",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "source",
          "writable": true
        },
        {
          "name": "tokenProgram",
          "relations": [
            "reserve"
          ]
        }
      ],
      "args": [
        {
          "name": "amount",
          "type": "u64"
        }
      ]
    },
    {
      "name": "setCollateral",
      "discriminator": [
        78,
        238,
        107,
        150,
        31,
        244,
        158,
        27
      ],
      "accounts": [
        {
          "name": "owner",
          "signer": true,
          "relations": [
            "obligation"
          ]
        },
        {
          "name": "market",
          "relations": [
            "obligation"
          ]
        },
        {
          "name": "obligation",
          "writable": true
        }
      ],
      "args": [
        {
          "name": "reserve",
          "type": "pubkey"
        },
        {
          "name": "collateral",
          "type": "bool"
        }
      ]
    },
    {
      "name": "setMarginMode",
      "discriminator": [
        5,
        101,
        91,
        213,
        197,
        84,
        109,
        78
      ],
      "accounts": [
        {
          "name": "owner",
          "signer": true,
          "relations": [
            "obligation"
          ]
        },
        {
          "name": "market",
          "relations": [
            "obligation"
          ]
        },
        {
          "name": "obligation",
          "writable": true
        }
      ],
      "args": [
        {
          "name": "marginMode",
          "type": "u8"
        }
      ]
    },
    {
      "name": "setReserveStatus",
      "discriminator": [
        26,
        42,
        235,
        134,
        227,
        202,
        75,
        234
      ],
      "accounts": [
        {
          "name": "authority",
          "signer": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "market",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "reserve",
          "writable": true
        }
      ],
      "args": [
        {
          "name": "status",
          "type": "u8"
        }
      ]
    },
    {
      "name": "socializeLoss",
      "discriminator": [
        245,
        75,
        91,
        0,
        236,
        97,
        19,
        3
      ],
      "accounts": [
        {
          "name": "market",
          "relations": [
            "obligation",
            "reserve"
          ]
        },
        {
          "name": "obligation",
          "writable": true
        },
        {
          "name": "reserve",
          "writable": true
        }
      ],
      "args": []
    },
    {
      "name": "updateMarketConfig",
      "discriminator": [
        91,
        87,
        149,
        101,
        110,
        116,
        16,
        120
      ],
      "accounts": [
        {
          "name": "authority",
          "signer": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "market",
          "writable": true
        }
      ],
      "args": [
        {
          "name": "params",
          "type": {
            "defined": {
              "name": "marketConfigParams"
            }
          }
        }
      ]
    },
    {
      "name": "updateReserveConfig",
      "discriminator": [
        61,
        148,
        100,
        70,
        143,
        107,
        17,
        13
      ],
      "accounts": [
        {
          "name": "authority",
          "signer": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "market",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "reserve",
          "writable": true
        },
        {
          "name": "oracle"
        }
      ],
      "args": [
        {
          "name": "params",
          "type": {
            "defined": {
              "name": "reserveConfigParams"
            }
          }
        }
      ]
    },
    {
      "name": "withdraw",
      "discriminator": [
        183,
        18,
        70,
        156,
        148,
        109,
        161,
        34
      ],
      "accounts": [
        {
          "name": "owner",
          "signer": true,
          "relations": [
            "obligation"
          ]
        },
        {
          "name": "market",
          "relations": [
            "reserve",
            "obligation"
          ]
        },
        {
          "name": "reserve",
          "writable": true
        },
        {
          "name": "obligation",
          "writable": true
        },
        {
          "name": "mint",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "vaultAuthority",
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116,
                  45,
                  97,
                  117,
                  116,
                  104,
                  111,
                  114,
                  105,
                  116,
                  121
                ]
              },
              {
                "kind": "account",
                "path": "reserve"
              }
            ]
          }
        },
        {
          "name": "destination",
          "writable": true
        },
        {
          "name": "tokenProgram",
          "relations": [
            "reserve"
          ]
        }
      ],
      "args": [
        {
          "name": "amount",
          "type": "u64"
        }
      ]
    },
    {
      "name": "withdrawInsurance",
      "discriminator": [
        201,
        133,
        145,
        118,
        235,
        89,
        90,
        189
      ],
      "accounts": [
        {
          "name": "authority",
          "signer": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "market",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "reserve",
          "writable": true
        },
        {
          "name": "mint",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "vaultAuthority",
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116,
                  45,
                  97,
                  117,
                  116,
                  104,
                  111,
                  114,
                  105,
                  116,
                  121
                ]
              },
              {
                "kind": "account",
                "path": "reserve"
              }
            ]
          }
        },
        {
          "name": "destination",
          "writable": true
        },
        {
          "name": "tokenProgram",
          "relations": [
            "reserve"
          ]
        }
      ],
      "args": [
        {
          "name": "amount",
          "type": "u64"
        }
      ]
    },
    {
      "name": "withdrawProtocolFees",
      "discriminator": [
        11,
        68,
        165,
        98,
        18,
        208,
        134,
        73
      ],
      "accounts": [
        {
          "name": "authority",
          "signer": true,
          "relations": [
            "market"
          ]
        },
        {
          "name": "market",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "reserve",
          "writable": true
        },
        {
          "name": "mint",
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "vault",
          "writable": true,
          "relations": [
            "reserve"
          ]
        },
        {
          "name": "vaultAuthority",
          "pda": {
            "seeds": [
              {
                "kind": "const",
                "value": [
                  118,
                  97,
                  117,
                  108,
                  116,
                  45,
                  97,
                  117,
                  116,
                  104,
                  111,
                  114,
                  105,
                  116,
                  121
                ]
              },
              {
                "kind": "account",
                "path": "reserve"
              }
            ]
          }
        },
        {
          "name": "destination",
          "writable": true
        },
        {
          "name": "tokenProgram",
          "relations": [
            "reserve"
          ]
        }
      ],
      "args": [
        {
          "name": "amount",
          "type": "u64"
        }
      ]
    }
  ],
  "accounts": [
    {
      "name": "market",
      "discriminator": [
        219,
        190,
        213,
        55,
        0,
        227,
        198,
        154
      ]
    },
    {
      "name": "obligation",
      "discriminator": [
        168,
        206,
        141,
        106,
        88,
        76,
        172,
        167
      ]
    },
    {
      "name": "reserve",
      "discriminator": [
        43,
        242,
        204,
        202,
        26,
        247,
        59,
        127
      ]
    }
  ],
  "events": [
    {
      "name": "borrowEvent",
      "discriminator": [
        86,
        8,
        140,
        206,
        215,
        179,
        118,
        201
      ]
    },
    {
      "name": "collateralToggleEvent",
      "discriminator": [
        19,
        174,
        210,
        45,
        123,
        115,
        18,
        237
      ]
    },
    {
      "name": "depositEvent",
      "discriminator": [
        120,
        248,
        61,
        83,
        31,
        142,
        107,
        144
      ]
    },
    {
      "name": "flashBorrowEvent",
      "discriminator": [
        229,
        252,
        69,
        15,
        32,
        195,
        201,
        190
      ]
    },
    {
      "name": "flashRepayEvent",
      "discriminator": [
        56,
        57,
        228,
        44,
        148,
        35,
        72,
        252
      ]
    },
    {
      "name": "liquidatableMarkEvent",
      "discriminator": [
        56,
        45,
        97,
        148,
        172,
        182,
        18,
        152
      ]
    },
    {
      "name": "liquidateEvent",
      "discriminator": [
        158,
        94,
        144,
        4,
        147,
        52,
        5,
        255
      ]
    },
    {
      "name": "marginModeEvent",
      "discriminator": [
        201,
        148,
        253,
        227,
        150,
        166,
        213,
        14
      ]
    },
    {
      "name": "repayEvent",
      "discriminator": [
        129,
        213,
        0,
        108,
        218,
        108,
        82,
        140
      ]
    },
    {
      "name": "socializeLossEvent",
      "discriminator": [
        37,
        179,
        214,
        87,
        202,
        73,
        215,
        245
      ]
    },
    {
      "name": "treasuryWithdrawEvent",
      "discriminator": [
        75,
        76,
        60,
        106,
        68,
        109,
        219,
        136
      ]
    },
    {
      "name": "withdrawEvent",
      "discriminator": [
        22,
        9,
        133,
        26,
        160,
        44,
        71,
        192
      ]
    }
  ],
  "errors": [
    {
      "code": 6000,
      "name": "unauthorized",
      "msg": "Signer is not the market authority"
    },
    {
      "code": 6001,
      "name": "marketMismatch",
      "msg": "Account belongs to another market"
    },
    {
      "code": 6002,
      "name": "obligationOwnerMismatch",
      "msg": "Signer does not own this obligation"
    },
    {
      "code": 6003,
      "name": "vaultMismatch",
      "msg": "Vault is not this reserve's vault"
    },
    {
      "code": 6004,
      "name": "mintMismatch",
      "msg": "Mint is not this reserve's mint"
    },
    {
      "code": 6005,
      "name": "tokenProgramMismatch",
      "msg": "Token program is not the one this reserve's mint uses"
    },
    {
      "code": 6006,
      "name": "vaultBalanceMismatch",
      "msg": "Vault balance did not move by exactly the accounted amount"
    },
    {
      "code": 6007,
      "name": "zeroAmount",
      "msg": "Amount must be greater than zero (or it converts to zero shares)"
    },
    {
      "code": 6008,
      "name": "insufficientLiquidity",
      "msg": "Reserve does not hold enough available liquidity"
    },
    {
      "code": 6009,
      "name": "supplyCapExceeded",
      "msg": "Deposit would exceed the reserve's supply cap"
    },
    {
      "code": 6010,
      "name": "borrowCapExceeded",
      "msg": "Borrow would exceed the reserve's borrow cap"
    },
    {
      "code": 6011,
      "name": "insufficientCollateral",
      "msg": "Withdraw exceeds the obligation's collateral in this reserve"
    },
    {
      "code": 6012,
      "name": "noDebtToRepay",
      "msg": "Obligation has no debt in this reserve"
    },
    {
      "code": 6013,
      "name": "positionNotFound",
      "msg": "Obligation has no position in this reserve"
    },
    {
      "code": 6014,
      "name": "obligationFull",
      "msg": "Obligation already holds the maximum number of positions"
    },
    {
      "code": 6015,
      "name": "obligationNotEmpty",
      "msg": "Only an obligation with no collateral and no debt can be closed"
    },
    {
      "code": 6016,
      "name": "initialDepositRequired",
      "msg": "Reserve creation requires a non-zero initial deposit"
    },
    {
      "code": 6017,
      "name": "marketPaused",
      "msg": "The market is paused: deposits, withdrawals and borrows wait (repay and liquidation work)"
    },
    {
      "code": 6018,
      "name": "reserveNotActive",
      "msg": "The reserve is reduce-only or paused: no new deposits or borrows"
    },
    {
      "code": 6019,
      "name": "reservePaused",
      "msg": "The reserve is paused: only repay and liquidation work"
    },
    {
      "code": 6020,
      "name": "circuitBreakerTripped",
      "msg": "Price deviates from its EMA beyond the reserve's circuit breaker: borrow and withdraw wait"
    },
    {
      "code": 6021,
      "name": "utilizationCeilingExceeded",
      "msg": "Borrow would take utilisation above the reserve's ceiling"
    },
    {
      "code": 6022,
      "name": "pauseTooLong",
      "msg": "Pause longer than the market's maximum"
    },
    {
      "code": 6023,
      "name": "invalidReserveStatus",
      "msg": "Unknown reserve status"
    },
    {
      "code": 6024,
      "name": "notPendingAuthority",
      "msg": "Signer is not the proposed market authority"
    },
    {
      "code": 6025,
      "name": "mintExtensionNotAllowed",
      "msg": "Token-2022 mint has an extension that breaks accounting (transfer fee, hook, permanent delegate, ...)"
    },
    {
      "code": 6026,
      "name": "obligationHealthy",
      "msg": "Obligation is healthy (maintenance health >= 0) and cannot be liquidated"
    },
    {
      "code": 6027,
      "name": "selfLiquidation",
      "msg": "An obligation's owner cannot liquidate it"
    },
    {
      "code": 6028,
      "name": "collateralOutBelowMinimum",
      "msg": "Collateral out is below the liquidator's min_collateral_out"
    },
    {
      "code": 6029,
      "name": "overLiquidation",
      "msg": "Liquidation would lift the health factor above the market's target; repay less"
    },
    {
      "code": 6030,
      "name": "liquidationWorsensHealth",
      "msg": "Liquidation would not improve maintenance health"
    },
    {
      "code": 6031,
      "name": "obligationHasCollateral",
      "msg": "Loss can only be socialized once the obligation's collateral is gone, or is worth less than the dust value while it is liquidatable"
    },
    {
      "code": 6032,
      "name": "initialHealthNegative",
      "msg": "Action would leave the obligation with negative initial health (borrow power)"
    },
    {
      "code": 6033,
      "name": "healthAccountCountMismatch",
      "msg": "Health accounts must be exactly one (reserve, oracle) pair per position"
    },
    {
      "code": 6034,
      "name": "healthReserveMismatch",
      "msg": "Health account does not match the obligation's position at that index"
    },
    {
      "code": 6035,
      "name": "oracleAccountMismatch",
      "msg": "Oracle account is not the one pinned by the reserve"
    },
    {
      "code": 6036,
      "name": "oracleWrongOwner",
      "msg": "Oracle account is not owned by the Pyth program for its format"
    },
    {
      "code": 6037,
      "name": "oracleInvalidData",
      "msg": "Oracle account data is not a valid price account"
    },
    {
      "code": 6038,
      "name": "oracleWrongFeed",
      "msg": "Oracle price is for a different feed"
    },
    {
      "code": 6039,
      "name": "oracleNotFullyVerified",
      "msg": "Pyth price update is only partially verified"
    },
    {
      "code": 6040,
      "name": "oracleNotTrading",
      "msg": "Legacy Pyth price is not in Trading status"
    },
    {
      "code": 6041,
      "name": "oracleKindUnsupported",
      "msg": "Unknown oracle kind"
    },
    {
      "code": 6042,
      "name": "priceNotPositive",
      "msg": "Oracle price is zero or negative"
    },
    {
      "code": 6043,
      "name": "priceStale",
      "msg": "Oracle price is older than the reserve's maximum age"
    },
    {
      "code": 6044,
      "name": "priceConfidenceTooWide",
      "msg": "Oracle confidence interval is wider than the reserve allows"
    },
    {
      "code": 6045,
      "name": "priceExponentOutOfRange",
      "msg": "Oracle exponent is out of the supported range"
    },
    {
      "code": 6046,
      "name": "ltvNotBelowThreshold",
      "msg": "Invalid config: ltv must be below the liquidation threshold"
    },
    {
      "code": 6047,
      "name": "liquidationThresholdAbove100",
      "msg": "Invalid config: liquidation threshold above 100%"
    },
    {
      "code": 6048,
      "name": "borrowFactorBelow100",
      "msg": "Invalid config: borrow factor below 100%"
    },
    {
      "code": 6049,
      "name": "bonusRange",
      "msg": "Invalid config: min liquidation bonus above max"
    },
    {
      "code": 6050,
      "name": "bonusCreatesBadDebt",
      "msg": "Invalid config: liquidation threshold x (1 + max bonus) must be at most 100% and below the borrow factor"
    },
    {
      "code": 6051,
      "name": "feeAbove100",
      "msg": "Invalid config: a fee share above 100%"
    },
    {
      "code": 6052,
      "name": "invalidInterestCurve",
      "msg": "Invalid config: interest curve must run from 0% to 100% utilisation, increasing"
    },
    {
      "code": 6053,
      "name": "invalidMaxConfidence",
      "msg": "Invalid config: max confidence must be in (0, 100%)"
    },
    {
      "code": 6054,
      "name": "invalidMaxAge",
      "msg": "Invalid config: max price age must be at least 10 s"
    },
    {
      "code": 6055,
      "name": "unsupportedDecimals",
      "msg": "Invalid config: mint decimals above 18"
    },
    {
      "code": 6056,
      "name": "invalidLiquidationConfig",
      "msg": "Invalid config: liquidation knobs out of range"
    },
    {
      "code": 6057,
      "name": "invalidRiskControls",
      "msg": "Invalid config: risk controls out of range (ceiling, haircut bounds, breaker)"
    },
    {
      "code": 6058,
      "name": "mathOverflow",
      "msg": "Arithmetic overflow"
    },
    {
      "code": 6059,
      "name": "mathUnderflow",
      "msg": "Arithmetic underflow"
    },
    {
      "code": 6060,
      "name": "divideByZero",
      "msg": "Division by zero"
    },
    {
      "code": 6061,
      "name": "liquidatorObligationRequired",
      "msg": "receive_shares needs the liquidator's own obligation in this market"
    },
    {
      "code": 6062,
      "name": "borrowRateTooHigh",
      "msg": "Invalid config: a borrow rate above 300% APR"
    },
    {
      "code": 6063,
      "name": "invalidRiskRamp",
      "msg": "Invalid config: risk_ramp_secs must be between one hour and 30 days"
    },
    {
      "code": 6064,
      "name": "pauseBudgetExhausted",
      "msg": "The market was paused for its maximum within the last 30 days"
    },
    {
      "code": 6065,
      "name": "priceOlderThanLastUsed",
      "msg": "Oracle price is older than one this reserve already used"
    },
    {
      "code": 6066,
      "name": "oracleNotPushFeed",
      "msg": "Pyth price account is not the push feed of its feed id (shard 0), its own write authority"
    },
    {
      "code": 6067,
      "name": "invalidScenarioConfig",
      "msg": "Invalid config: at most 8 scenarios, 100% <= maintenance buffer <= initial buffer <= 200%, maintenance fraction in (0, 100%], shocks in [-100%, +100%] and zero past the market's scenario count"
    },
    {
      "code": 6068,
      "name": "scenarioMarginDisabled",
      "msg": "The market holds no stress scenarios: scenario margin is unavailable"
    },
    {
      "code": 6069,
      "name": "invalidMarginMode",
      "msg": "Unknown margin mode (0 classic weights, 1 scenario margin)"
    },
    {
      "code": 6070,
      "name": "debtBelowMinimum",
      "msg": "A borrow or partial repay may not leave this position's debt worth less than the market's minimum debt (repay all of it instead)"
    },
    {
      "code": 6071,
      "name": "invalidMinDebt",
      "msg": "Invalid config: minimum debt above $1,000,000"
    },
    {
      "code": 6072,
      "name": "outflowLimitExceeded",
      "msg": "Borrows and withdrawals from this reserve within its window would exceed its outflow limit; try again later or a smaller amount"
    },
    {
      "code": 6073,
      "name": "invalidOutflowLimit",
      "msg": "Invalid config: an outflow cap needs a window of (0, 7 days]"
    },
    {
      "code": 6074,
      "name": "feesExceedAccrued",
      "msg": "Amount exceeds the protocol fees accrued in this reserve"
    },
    {
      "code": 6075,
      "name": "insuranceBelowFloor",
      "msg": "Withdrawal would take the reserve's insurance below its floor"
    },
    {
      "code": 6076,
      "name": "reserveHasDeficit",
      "msg": "The reserve has socialized a loss: its insurance cannot be withdrawn"
    },
    {
      "code": 6077,
      "name": "feeReceiverMismatch",
      "msg": "Destination is not a token account of the market's fee receiver"
    },
    {
      "code": 6078,
      "name": "invalidFlashLoanFee",
      "msg": "Invalid config: flash-loan fee above 10% (65535 turns flash loans off)"
    },
    {
      "code": 6079,
      "name": "flashLoansDisabled",
      "msg": "This reserve does not lend flash loans"
    },
    {
      "code": 6080,
      "name": "flashLoanCpi",
      "msg": "flash_borrow and flash_repay must be top-level instructions of the transaction, not CPI"
    },
    {
      "code": 6081,
      "name": "flashRepayMissing",
      "msg": "No flash_repay of this reserve follows later in this transaction"
    },
    {
      "code": 6082,
      "name": "flashRepayAmountMismatch",
      "msg": "flash_repay must repay exactly the amount flash_borrow lent (the fee is added to it)"
    },
    {
      "code": 6083,
      "name": "flashLoanActive",
      "msg": "This reserve already has an open flash loan in this transaction"
    },
    {
      "code": 6084,
      "name": "flashLoanNotActive",
      "msg": "flash_repay without an open flash loan of this reserve"
    },
    {
      "code": 6085,
      "name": "depositNotCollateral",
      "msg": "This deposit is not used as collateral: it counts for no health and cannot be seized"
    },
    {
      "code": 6086,
      "name": "invalidObligationId",
      "msg": "A further obligation is numbered 1 to 255 (number 0 is init_obligation's)"
    }
  ],
  "types": [
    {
      "name": "borrowEvent",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "obligation",
            "type": "pubkey"
          },
          {
            "name": "reserve",
            "type": "pubkey"
          },
          {
            "name": "amount",
            "type": "u64"
          },
          {
            "name": "debtSharesAdded",
            "type": "u128"
          },
          {
            "name": "weightedCollateral",
            "type": "u128"
          },
          {
            "name": "weightedDebt",
            "type": "u128"
          }
        ]
      }
    },
    {
      "name": "collateralToggleEvent",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "obligation",
            "type": "pubkey"
          },
          {
            "name": "reserve",
            "type": "pubkey"
          },
          {
            "name": "collateral",
            "docs": [
              "Whether the deposit now counts as collateral."
            ],
            "type": "bool"
          },
          {
            "name": "weightedCollateral",
            "docs": [
              "Initial health after turning collateral off with debt (both 0 otherwise)."
            ],
            "type": "u128"
          },
          {
            "name": "weightedDebt",
            "type": "u128"
          }
        ]
      }
    },
    {
      "name": "curvePointParam",
      "docs": [
        "The IDL cannot describe a tuple, so IDL generation (`idl-build`, never a program build) sees",
        "the same two fields as a struct: borsh encodes both identically (a `u16`, then a `u32`)."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "utilizationBps",
            "type": "u16"
          },
          {
            "name": "borrowRateBps",
            "type": "u32"
          }
        ]
      }
    },
    {
      "name": "curvePointStore",
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "borrowRateBps",
            "type": "u32"
          },
          {
            "name": "utilizationBps",
            "type": "u16"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                2
              ]
            }
          }
        ]
      }
    },
    {
      "name": "depositEvent",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "obligation",
            "type": "pubkey"
          },
          {
            "name": "reserve",
            "type": "pubkey"
          },
          {
            "name": "amount",
            "type": "u64"
          },
          {
            "name": "supplySharesMinted",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "flashBorrowEvent",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "reserve",
            "type": "pubkey"
          },
          {
            "name": "amount",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "flashRepayEvent",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "reserve",
            "type": "pubkey"
          },
          {
            "name": "amount",
            "type": "u64"
          },
          {
            "name": "fee",
            "docs": [
              "Paid on top of `amount`, to the protocol and the insurance fund."
            ],
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "healthReport",
      "docs": [
        "An obligation's health as the program computes it, returned as return data. Writes nothing,",
        "so bots and the dApp can simulate it for free."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "weightedCollateral",
            "docs": [
              "USD Wads."
            ],
            "type": "u128"
          },
          {
            "name": "weightedDebt",
            "type": "u128"
          },
          {
            "name": "collateralValue",
            "type": "u128"
          },
          {
            "name": "debtValue",
            "type": "u128"
          },
          {
            "name": "healthFactor",
            "docs": [
              "Weighted collateral / weighted debt as a Wad; `u128::MAX` with no debt."
            ],
            "type": "u128"
          },
          {
            "name": "liquidatable",
            "docs": [
              "Maintenance health < 0."
            ],
            "type": "bool"
          }
        ]
      }
    },
    {
      "name": "interestCurveStore",
      "docs": [
        "Stored form of `ballast_math::InterestCurve`."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "points",
            "type": {
              "array": [
                {
                  "defined": {
                    "name": "curvePointStore"
                  }
                },
                11
              ]
            }
          },
          {
            "name": "pointCount",
            "type": "u8"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                7
              ]
            }
          }
        ]
      }
    },
    {
      "name": "liquidatableMarkEvent",
      "docs": [
        "The Dutch auction's clock started (or kept running) on a liquidatable obligation, or stopped",
        "(`liquidatable_since_ts` 0) on a healthy one."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "obligation",
            "type": "pubkey"
          },
          {
            "name": "liquidatableSinceTs",
            "type": "i64"
          },
          {
            "name": "weightedCollateral",
            "docs": [
              "Maintenance health found."
            ],
            "type": "u128"
          },
          {
            "name": "weightedDebt",
            "type": "u128"
          }
        ]
      }
    },
    {
      "name": "liquidateEvent",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "obligation",
            "type": "pubkey"
          },
          {
            "name": "liquidator",
            "type": "pubkey"
          },
          {
            "name": "repayReserve",
            "type": "pubkey"
          },
          {
            "name": "collateralReserve",
            "type": "pubkey"
          },
          {
            "name": "repayAmount",
            "docs": [
              "Debt base units repaid by the liquidator."
            ],
            "type": "u64"
          },
          {
            "name": "collateralToLiquidator",
            "docs": [
              "Collateral base units paid to the liquidator (their worth, when paid as shares)."
            ],
            "type": "u64"
          },
          {
            "name": "collateralSharesToLiquidator",
            "docs": [
              "Supply shares credited to the liquidator's obligation (`receive_shares`); 0 for tokens."
            ],
            "type": "u64"
          },
          {
            "name": "collateralToProtocol",
            "docs": [
              "Collateral (base units, Wad) kept as protocol fees."
            ],
            "type": "u128"
          },
          {
            "name": "bonusBps",
            "type": "u16"
          },
          {
            "name": "debtPrice",
            "docs": [
              "Spot prices used (USD per whole token, Wad)."
            ],
            "type": "u128"
          },
          {
            "name": "collateralPrice",
            "type": "u128"
          },
          {
            "name": "weightedCollateralBefore",
            "docs": [
              "Maintenance health before and after (USD Wads)."
            ],
            "type": "u128"
          },
          {
            "name": "weightedDebtBefore",
            "type": "u128"
          },
          {
            "name": "weightedCollateralAfter",
            "type": "u128"
          },
          {
            "name": "weightedDebtAfter",
            "type": "u128"
          }
        ]
      }
    },
    {
      "name": "marginModeEvent",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "obligation",
            "type": "pubkey"
          },
          {
            "name": "marginMode",
            "docs": [
              "0 classic weights, 1 scenario margin."
            ],
            "type": "u8"
          },
          {
            "name": "weightedCollateral",
            "docs": [
              "Initial health under the new mode (both 0 when the obligation has no debt)."
            ],
            "type": "u128"
          },
          {
            "name": "weightedDebt",
            "type": "u128"
          }
        ]
      }
    },
    {
      "name": "market",
      "docs": [
        "A lending market: the authority that configures it, its liquidation knobs, and the reserves",
        "that belong to it."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "authority",
            "docs": [
              "Signs reserve creation and every config change."
            ],
            "type": "pubkey"
          },
          {
            "name": "quoteCurrency",
            "docs": [
              "What prices are quoted in (e.g. `b\"USD\"`, zero-padded); informational."
            ],
            "type": {
              "array": [
                "u8",
                8
              ]
            }
          },
          {
            "name": "reserveCount",
            "docs": [
              "Reserves created in this market so far."
            ],
            "type": "u16"
          },
          {
            "name": "closeFactorBps",
            "docs": [
              "Share of one debt a single liquidation may repay, bps."
            ],
            "type": "u16"
          },
          {
            "name": "fullLiquidationHealthFactorBps",
            "docs": [
              "Below this health factor (bps) a liquidation may repay the whole debt."
            ],
            "type": "u16"
          },
          {
            "name": "targetHealthFactorBps",
            "docs": [
              "A liquidation that leaves debt may not lift the health factor above this (bps)."
            ],
            "type": "u16"
          },
          {
            "name": "bonusRampBps",
            "docs": [
              "Shortfall (1 - health factor, bps) at which the liquidation bonus reaches its maximum."
            ],
            "type": "u16"
          },
          {
            "name": "dustValueUsd",
            "docs": [
              "If less than this much debt (USD, Wad) would remain, a liquidation may repay all of it."
            ],
            "type": "u128"
          },
          {
            "name": "maxPauseSecs",
            "docs": [
              "Longest market pause the authority may set, in seconds."
            ],
            "type": "u64"
          },
          {
            "name": "pausedUntil",
            "docs": [
              "Deposits, withdrawals and borrows are paused until this unix time (repay and liquidation",
              "never are). A pause ends by itself."
            ],
            "type": "i64"
          },
          {
            "name": "pendingAuthority",
            "docs": [
              "Proposed new authority (two-step transfer); the default key when none."
            ],
            "type": "pubkey"
          },
          {
            "name": "riskRampSecs",
            "docs": [
              "A lower liquidation threshold or higher borrow factor takes effect over this long."
            ],
            "type": "u64"
          },
          {
            "name": "pauseWindowStart",
            "docs": [
              "The pause budget's window (`ballast_engine::market::PauseLedger`): its start and the",
              "pause time it has used."
            ],
            "type": "i64"
          },
          {
            "name": "pausedSecsInWindow",
            "type": "u64"
          },
          {
            "name": "scenarioCount",
            "docs": [
              "Scenario margin (`ballast_math::scenario::ScenarioMargin`): stress scenarios in force",
              "(0: off), the initial and maintenance debt buffers and the share of each shock",
              "maintenance applies, bps."
            ],
            "type": "u8"
          },
          {
            "name": "scenarioInitialBufferBps",
            "type": "u16"
          },
          {
            "name": "scenarioMaintenanceBufferBps",
            "type": "u16"
          },
          {
            "name": "scenarioMaintenanceFractionBps",
            "type": "u16"
          },
          {
            "name": "scenarioRampFromBufferBps",
            "docs": [
              "A tightening of scenario maintenance in progress (`ScenarioRamp`)."
            ],
            "type": "u16"
          },
          {
            "name": "scenarioRampFromFractionBps",
            "type": "u16"
          },
          {
            "name": "scenarioRampFromCount",
            "type": "u8"
          },
          {
            "name": "scenarioRampStartTs",
            "type": "i64"
          },
          {
            "name": "scenarioRampSecs",
            "type": "u64"
          },
          {
            "name": "auctionSecs",
            "docs": [
              "Dutch-auction bonus: seconds over which it grows from a collateral's minimum to its",
              "maximum after an obligation is first seen liquidatable (0: the shortfall ramp alone)."
            ],
            "type": "u64"
          },
          {
            "name": "pacedCloseFactorBps",
            "docs": [
              "Liquidation pacing: the close factor (bps) of a collateral over its depth budget",
              "(0: no pacing), and the window (seconds) its seizures decay over."
            ],
            "type": "u16"
          },
          {
            "name": "pacingWindowSecs",
            "type": "u64"
          },
          {
            "name": "minDebtUsd",
            "docs": [
              "Minimum debt: whole USD a borrow or partial repay may leave in a position (0: none)."
            ],
            "type": "u64"
          },
          {
            "name": "feeReceiver",
            "docs": [
              "Owner of the token accounts accrued protocol fees and insurance are withdrawn to",
              "(the default key: the market authority)."
            ],
            "type": "pubkey"
          },
          {
            "name": "reserved",
            "docs": [
              "Room for later fields without a migration."
            ],
            "type": {
              "array": [
                "u8",
                18
              ]
            }
          }
        ]
      }
    },
    {
      "name": "marketConfigParams",
      "docs": [
        "Market-wide liquidation knobs (see `ballast_math::liquidation::LiquidationConfig`)."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "closeFactorBps",
            "type": "u16"
          },
          {
            "name": "fullLiquidationHealthFactorBps",
            "type": "u16"
          },
          {
            "name": "targetHealthFactorBps",
            "type": "u16"
          },
          {
            "name": "bonusRampBps",
            "type": "u16"
          },
          {
            "name": "dustValueUsd",
            "docs": [
              "USD as a Wad (1e18 = $1)."
            ],
            "type": "u128"
          },
          {
            "name": "maxPauseSecs",
            "docs": [
              "Longest pause the authority may set, seconds (at most a week)."
            ],
            "type": "u64"
          },
          {
            "name": "riskRampSecs",
            "docs": [
              "Seconds over which a lower liquidation threshold or a higher borrow factor takes",
              "effect (one hour to 30 days)."
            ],
            "type": "u64"
          },
          {
            "name": "scenarioCount",
            "docs": [
              "Stress scenarios for scenario margin (0 to 8; 0: off), the initial and maintenance",
              "debt buffers and the share of each shock maintenance applies, bps."
            ],
            "type": "u8"
          },
          {
            "name": "scenarioInitialBufferBps",
            "type": "u16"
          },
          {
            "name": "scenarioMaintenanceBufferBps",
            "type": "u16"
          },
          {
            "name": "scenarioMaintenanceFractionBps",
            "type": "u16"
          },
          {
            "name": "auctionSecs",
            "docs": [
              "Dutch-auction bonus duration, seconds (0: off; at most a day)."
            ],
            "type": "u64"
          },
          {
            "name": "pacedCloseFactorBps",
            "docs": [
              "Liquidation pacing: the close factor of a collateral over its depth budget, bps",
              "(0: off; at most `close_factor_bps`), and its window, seconds (at most a day)."
            ],
            "type": "u16"
          },
          {
            "name": "pacingWindowSecs",
            "type": "u64"
          },
          {
            "name": "minDebtUsd",
            "docs": [
              "Smallest debt, whole USD, a borrow or partial repay may leave in a position (0: none;",
              "at most $1,000,000)."
            ],
            "type": "u64"
          },
          {
            "name": "feeReceiver",
            "docs": [
              "Owner of the token accounts fees and insurance are withdrawn to (the default key:",
              "the market authority)."
            ],
            "type": "pubkey"
          }
        ]
      }
    },
    {
      "name": "obligation",
      "docs": [
        "A user's positions in one market. Fixed size and zero-copy; `market` is at byte offset 8 and",
        "`owner` at 40, so bots can find every obligation of a market with one memcmp filter.",
        "Positions occupy slots `0..position_count` by the engine's slot rules ([`Positions`]); health",
        "accounts are passed in that order."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "owner",
            "type": "pubkey"
          },
          {
            "name": "positions",
            "type": {
              "array": [
                {
                  "defined": {
                    "name": "position"
                  }
                },
                16
              ]
            }
          },
          {
            "name": "positionCount",
            "type": "u8"
          },
          {
            "name": "bump",
            "type": "u8"
          },
          {
            "name": "marginMode",
            "docs": [
              "`ballast_engine::MarginMode` as a byte: 0 classic weights, 1 scenario margin."
            ],
            "type": "u8"
          },
          {
            "name": "nonCollateralMask",
            "docs": [
              "Little-endian u16, bit `i`: the deposit in slot `i` is not collateral (it earns",
              "interest, counts for no health, cannot be seized)."
            ],
            "type": {
              "array": [
                "u8",
                2
              ]
            }
          },
          {
            "name": "obligationId",
            "docs": [
              "The owner's number for this obligation in the market (0: `init_obligation`'s; 1 to",
              "255: `init_sub_obligation`'s, whose PDA seeds end with it)."
            ],
            "type": "u8"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                2
              ]
            }
          },
          {
            "name": "liquidatableSinceTs",
            "docs": [
              "When the obligation was first seen liquidatable: the Dutch auction's start (0: not",
              "since it was last shown healthy)."
            ],
            "type": "i64"
          },
          {
            "name": "reserved",
            "type": {
              "array": [
                "u8",
                120
              ]
            }
          }
        ]
      }
    },
    {
      "name": "oracleConfig",
      "docs": [
        "The oracle a reserve is pinned to."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "oracleAccount",
            "docs": [
              "The one price account this reserve reads."
            ],
            "type": "pubkey"
          },
          {
            "name": "feedId",
            "docs": [
              "Pyth feed id the account must carry (pull format); the price account key (legacy)."
            ],
            "type": {
              "array": [
                "u8",
                32
              ]
            }
          },
          {
            "name": "maxAgeSecs",
            "type": "u64"
          },
          {
            "name": "maxConfidenceBps",
            "docs": [
              "Rejected above this confidence, in bps of the price."
            ],
            "type": "u16"
          },
          {
            "name": "kind",
            "docs": [
              "`OracleKind` as a byte."
            ],
            "type": "u8"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                5
              ]
            }
          }
        ]
      }
    },
    {
      "name": "position",
      "docs": [
        "One reserve's collateral and debt inside an obligation."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "reserve",
            "type": "pubkey"
          },
          {
            "name": "supplyShares",
            "docs": [
              "Supply shares of the reserve held as collateral."
            ],
            "type": "u64"
          },
          {
            "name": "debtShares",
            "docs": [
              "Debt shares (a Wad); debt in base units is `debt_shares * borrow_index`."
            ],
            "type": {
              "array": [
                "u8",
                16
              ]
            }
          }
        ]
      }
    },
    {
      "name": "repayEvent",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "obligation",
            "type": "pubkey"
          },
          {
            "name": "reserve",
            "type": "pubkey"
          },
          {
            "name": "payer",
            "type": "pubkey"
          },
          {
            "name": "amount",
            "type": "u64"
          },
          {
            "name": "debtSharesBurned",
            "type": "u128"
          }
        ]
      }
    },
    {
      "name": "reserve",
      "docs": [
        "One asset of a market: its vault, oracle, risk parameters, interest curve and accounting.",
        "Zero-copy with a fixed layout; `market` sits at byte offset 8 for memcmp filters."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "market",
            "type": "pubkey"
          },
          {
            "name": "mint",
            "type": "pubkey"
          },
          {
            "name": "vault",
            "docs": [
              "Token account holding the reserve's liquidity; owned by the vault authority PDA."
            ],
            "type": "pubkey"
          },
          {
            "name": "tokenProgram",
            "docs": [
              "SPL Token or Token-2022: whichever owns the mint."
            ],
            "type": "pubkey"
          },
          {
            "name": "oracle",
            "type": {
              "defined": {
                "name": "oracleConfig"
              }
            }
          },
          {
            "name": "risk",
            "type": {
              "defined": {
                "name": "riskConfigStore"
              }
            }
          },
          {
            "name": "curve",
            "type": {
              "defined": {
                "name": "interestCurveStore"
              }
            }
          },
          {
            "name": "liquidity",
            "type": {
              "defined": {
                "name": "reserveLiquidity"
              }
            }
          },
          {
            "name": "lockedSupplyShares",
            "docs": [
              "Supply shares minted by the creation deposit: counted in the total, owned by nobody."
            ],
            "type": "u64"
          },
          {
            "name": "mintDecimals",
            "type": "u8"
          },
          {
            "name": "bump",
            "type": "u8"
          },
          {
            "name": "vaultBump",
            "type": "u8"
          },
          {
            "name": "vaultAuthorityBump",
            "type": "u8"
          },
          {
            "name": "status",
            "docs": [
              "`ReserveStatus` as a byte."
            ],
            "type": "u8"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                3
              ]
            }
          },
          {
            "name": "controls",
            "type": {
              "defined": {
                "name": "riskControlsStore"
              }
            }
          },
          {
            "name": "socializedLoss",
            "docs": [
              "Debt written off by `socialize_loss` beyond what insurance covered (base units, Wad): the",
              "only way the supply share value may fall (invariant 3)."
            ],
            "type": {
              "array": [
                "u8",
                16
              ]
            }
          },
          {
            "name": "riskRamp",
            "docs": [
              "A tightening of `risk` in progress: what valuation reads moves to it over time."
            ],
            "type": {
              "defined": {
                "name": "riskRampStore"
              }
            }
          },
          {
            "name": "lastPricePublishTime",
            "docs": [
              "The newest oracle publish time an instruction writing this reserve used; older",
              "prices are refused."
            ],
            "type": "i64"
          },
          {
            "name": "scenarioShocksBps",
            "docs": [
              "This reserve's price shock in each of the market's stress scenarios (bps), and the",
              "ramp a change moves along (`ballast_math::scenario::ScenarioShocks`)."
            ],
            "type": {
              "array": [
                "i16",
                8
              ]
            }
          },
          {
            "name": "scenarioShocksFromBps",
            "type": {
              "array": [
                "i16",
                8
              ]
            }
          },
          {
            "name": "scenarioShocksStartTs",
            "type": "i64"
          },
          {
            "name": "scenarioShocksRampSecs",
            "type": "u64"
          },
          {
            "name": "liquidationDepthBudgetUsd",
            "docs": [
              "Liquidation pacing: whole USD of this collateral liquidations may seize for tokens",
              "within the market's pacing window before its close factor steps down (0: never",
              "paced), and the recent seizures (`ballast_math::window::DecayingTotal`)."
            ],
            "type": "u64"
          },
          {
            "name": "seizedWindowUsd",
            "type": {
              "array": [
                "u8",
                16
              ]
            }
          },
          {
            "name": "seizedWindowTs",
            "type": "i64"
          },
          {
            "name": "lastSpotPrice",
            "docs": [
              "The spot price (USD per whole token, Wad) recorded with `last_price_publish_time`:",
              "what a partial repay values the debt it leaves at (minimum debt)."
            ],
            "type": {
              "array": [
                "u8",
                16
              ]
            }
          },
          {
            "name": "outflowCap",
            "docs": [
              "Outflow limit (`ballast_math::window::OutflowLimit`): net borrows plus withdrawals",
              "within `outflow_window_secs` may not pass `outflow_cap` base units (0: no limit), and",
              "the window's net outflow so far."
            ],
            "type": "u64"
          },
          {
            "name": "outflowWindowSecs",
            "type": "u64"
          },
          {
            "name": "outflowWindowAmount",
            "type": {
              "array": [
                "u8",
                16
              ]
            }
          },
          {
            "name": "outflowWindowTs",
            "type": "i64"
          },
          {
            "name": "insuranceFloor",
            "docs": [
              "Base units of insurance the authority can never withdraw."
            ],
            "type": "u64"
          },
          {
            "name": "flashLoanFeeBps",
            "docs": [
              "Flash loans: the fee (bps of the amount), whether the reserve lends them (0: no,",
              "so a reserve created before flash loans existed lends none until configured), and",
              "the amount of the loan open in the current transaction (0: none)."
            ],
            "type": "u16"
          },
          {
            "name": "flashLoansEnabled",
            "type": "u8"
          },
          {
            "name": "flashPadding",
            "type": {
              "array": [
                "u8",
                5
              ]
            }
          },
          {
            "name": "flashLoanAmount",
            "type": "u64"
          },
          {
            "name": "reserved",
            "type": {
              "array": [
                "u8",
                24
              ]
            }
          }
        ]
      }
    },
    {
      "name": "reserveConfigParams",
      "docs": [
        "Everything a risk manager sets on a reserve. Validated as a whole on creation and on every",
        "update."
      ],
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "ltvBps",
            "type": "u16"
          },
          {
            "name": "liquidationThresholdBps",
            "type": "u16"
          },
          {
            "name": "borrowFactorBps",
            "type": "u16"
          },
          {
            "name": "minLiquidationBonusBps",
            "type": "u16"
          },
          {
            "name": "maxLiquidationBonusBps",
            "type": "u16"
          },
          {
            "name": "protocolLiquidationFeeBps",
            "type": "u16"
          },
          {
            "name": "protocolTakeRateBps",
            "type": "u16"
          },
          {
            "name": "insuranceTakeRateBps",
            "type": "u16"
          },
          {
            "name": "supplyCap",
            "docs": [
              "Base units."
            ],
            "type": "u64"
          },
          {
            "name": "borrowCap",
            "docs": [
              "Base units."
            ],
            "type": "u64"
          },
          {
            "name": "curve",
            "docs": [
              "`(utilization_bps, annual_borrow_rate_bps)` points, from 0% to 100% utilisation."
            ],
            "type": {
              "vec": {
                "defined": {
                  "name": "curvePointParam"
                }
              }
            }
          },
          {
            "name": "oracleKind",
            "docs": [
              "`OracleKind` as a byte: 1 pull (`PriceUpdateV2`), 2 legacy."
            ],
            "type": "u8"
          },
          {
            "name": "feedId",
            "docs": [
              "Pyth feed id (pull). Ignored for legacy, where the price account itself is the identity."
            ],
            "type": {
              "array": [
                "u8",
                32
              ]
            }
          },
          {
            "name": "maxPriceAgeSecs",
            "type": "u64"
          },
          {
            "name": "maxConfidenceBps",
            "type": "u16"
          },
          {
            "name": "collateralValueCapUsd",
            "docs": [
              "Risk controls (see `ballast_math::controls`)."
            ],
            "type": "u64"
          },
          {
            "name": "utilizationCeilingBps",
            "type": "u16"
          },
          {
            "name": "haircutStartBps",
            "type": "u16"
          },
          {
            "name": "haircutEndBps",
            "type": "u16"
          },
          {
            "name": "maxHaircutBps",
            "type": "u16"
          },
          {
            "name": "maxEmaDeviationBps",
            "type": "u16"
          },
          {
            "name": "scenarioShocksBps",
            "docs": [
              "This reserve's price shock in each of the market's stress scenarios, bps in",
              "[-100%, +100%]; zero past the market's scenario count."
            ],
            "type": {
              "array": [
                "i16",
                8
              ]
            }
          },
          {
            "name": "liquidationDepthBudgetUsd",
            "docs": [
              "Whole USD of this collateral liquidations may seize for tokens within the market's",
              "pacing window before its close factor steps down (0: never paced)."
            ],
            "type": "u64"
          },
          {
            "name": "outflowCap",
            "docs": [
              "Outflow limit: net borrows plus withdrawals within `outflow_window_secs` (at most a",
              "week) may not pass `outflow_cap` base units (0: no limit)."
            ],
            "type": "u64"
          },
          {
            "name": "outflowWindowSecs",
            "type": "u64"
          },
          {
            "name": "insuranceFloor",
            "docs": [
              "Base units of insurance that always stay in the reserve."
            ],
            "type": "u64"
          },
          {
            "name": "flashLoanFeeBps",
            "docs": [
              "Flash-loan fee, bps (at most 1000; 65535: no flash loans)."
            ],
            "type": "u16"
          }
        ]
      }
    },
    {
      "name": "reserveLiquidity",
      "docs": [
        "Stored form of `ballast_math::ReserveAccounting`."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "availableLiquidity",
            "type": "u64"
          },
          {
            "name": "totalSupplyShares",
            "type": "u64"
          },
          {
            "name": "lastUpdateTs",
            "type": "i64"
          },
          {
            "name": "totalDebtShares",
            "type": {
              "array": [
                "u8",
                16
              ]
            }
          },
          {
            "name": "borrowIndex",
            "type": {
              "array": [
                "u8",
                16
              ]
            }
          },
          {
            "name": "protocolFees",
            "type": {
              "array": [
                "u8",
                16
              ]
            }
          },
          {
            "name": "insuranceFees",
            "type": {
              "array": [
                "u8",
                16
              ]
            }
          }
        ]
      }
    },
    {
      "name": "riskConfigStore",
      "docs": [
        "Stored form of `ballast_math::RiskConfig`."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "supplyCap",
            "type": "u64"
          },
          {
            "name": "borrowCap",
            "type": "u64"
          },
          {
            "name": "ltvBps",
            "type": "u16"
          },
          {
            "name": "liquidationThresholdBps",
            "type": "u16"
          },
          {
            "name": "borrowFactorBps",
            "type": "u16"
          },
          {
            "name": "minLiquidationBonusBps",
            "type": "u16"
          },
          {
            "name": "maxLiquidationBonusBps",
            "type": "u16"
          },
          {
            "name": "protocolLiquidationFeeBps",
            "type": "u16"
          },
          {
            "name": "protocolTakeRateBps",
            "type": "u16"
          },
          {
            "name": "insuranceTakeRateBps",
            "type": "u16"
          }
        ]
      }
    },
    {
      "name": "riskControlsStore",
      "docs": [
        "Stored form of `ballast_math::RiskControls`."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "collateralValueCapUsd",
            "type": "u64"
          },
          {
            "name": "utilizationCeilingBps",
            "type": "u16"
          },
          {
            "name": "haircutStartBps",
            "type": "u16"
          },
          {
            "name": "haircutEndBps",
            "type": "u16"
          },
          {
            "name": "maxHaircutBps",
            "type": "u16"
          },
          {
            "name": "maxEmaDeviationBps",
            "type": "u16"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                6
              ]
            }
          }
        ]
      }
    },
    {
      "name": "riskRampStore",
      "docs": [
        "Stored form of `ballast_math::RiskRamp`."
      ],
      "serialization": "bytemuck",
      "repr": {
        "kind": "c"
      },
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "fromLiquidationThresholdBps",
            "type": "u16"
          },
          {
            "name": "fromBorrowFactorBps",
            "type": "u16"
          },
          {
            "name": "padding",
            "type": {
              "array": [
                "u8",
                4
              ]
            }
          },
          {
            "name": "startTs",
            "type": "i64"
          },
          {
            "name": "durationSecs",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "socializeLossEvent",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "obligation",
            "type": "pubkey"
          },
          {
            "name": "reserve",
            "type": "pubkey"
          },
          {
            "name": "debtWrittenOff",
            "docs": [
              "Base units as Wads."
            ],
            "type": "u128"
          },
          {
            "name": "coveredByInsurance",
            "type": "u128"
          },
          {
            "name": "lossToDepositors",
            "type": "u128"
          },
          {
            "name": "shareValueBefore",
            "docs": [
              "Supply share value before and after (Wad)."
            ],
            "type": "u128"
          },
          {
            "name": "shareValueAfter",
            "type": "u128"
          }
        ]
      }
    },
    {
      "name": "treasuryWithdrawEvent",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "reserve",
            "type": "pubkey"
          },
          {
            "name": "destination",
            "type": "pubkey"
          },
          {
            "name": "insurance",
            "docs": [
              "Insurance (true) or protocol fees (false)."
            ],
            "type": "bool"
          },
          {
            "name": "amount",
            "type": "u64"
          }
        ]
      }
    },
    {
      "name": "withdrawEvent",
      "type": {
        "kind": "struct",
        "fields": [
          {
            "name": "obligation",
            "type": "pubkey"
          },
          {
            "name": "reserve",
            "type": "pubkey"
          },
          {
            "name": "amount",
            "type": "u64"
          },
          {
            "name": "supplySharesBurned",
            "type": "u64"
          },
          {
            "name": "weightedCollateral",
            "docs": [
              "Initial health after the withdraw (both 0 when the obligation has no debt)."
            ],
            "type": "u128"
          },
          {
            "name": "weightedDebt",
            "type": "u128"
          }
        ]
      }
    }
  ]
};
