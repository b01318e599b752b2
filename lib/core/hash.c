/* placeholder: being written (lib/core/hash) */
