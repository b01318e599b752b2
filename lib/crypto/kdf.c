/* placeholder: being written (lib/crypto/kdf) */
