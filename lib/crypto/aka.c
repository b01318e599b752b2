/* placeholder: being written (lib/crypto/aka) */
