/* placeholder: being written (lib/core/buf) */
