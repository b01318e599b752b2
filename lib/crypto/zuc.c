/* placeholder: being written (lib/crypto/zuc) */
