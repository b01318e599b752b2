/* placeholder: being written (lib/core/log) */
