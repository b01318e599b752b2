/*
 * The UDR's subscriber store: the subscription data the UDM needs (TS 29.505 data sets,
 * served as TS 29.503 types), behind one interface with two back ends:
 *
 *   "sqlite:<path>"                     SQLite file, WAL mode, synchronous=FULL (the default)
 *   "postgresql://…" / "postgres://…"  PostgreSQL through libpq (several UDR instances)
 *
 * Per subscriber (key: SUPI "imsi-<5..15 digits>", TS 23.003 2.2A / TS 29.571 Supi):
 *   - authentication subscription (TS 29.505 AuthenticationSubscription): method 5G_AKA, K,
 *     OPc or OP, AMF field, SQN;
 *   - access and mobility data (TS 29.503 AccessAndMobilitySubscriptionData): GPSIs,
 *     UE-AMBR, subscribed S-NSSAIs with the default flag (Nssai);
 *   - SMF selection data and session management data (TS 29.503
 *     SmfSelectionSubscriptionData, SessionManagementSubscriptionData): per S-NSSAI its
 *     DNNs, each with PDU session type, 5QI, ARP, session AMBR and an optional static IPv4;
 *   - a barred flag;
 *   - the AMF 3GPP access registration (TS 29.503 Amf3GppAccessRegistration) as JSON text;
 *   - the authentication status (TS 29.505 5.2.24 AuthenticationStatus: the last TS 29.503
 *     AuthEvent the UDM reported) as JSON text, with its main members in columns.
 *
 * SQN handling follows TS 33.102 Annex C (see sen_udr_store_sqn_next). Every mutating call
 * is one transaction: it happens whole or not at all, and once it has returned 0 it survives
 * a crash of the process (docs/udr-store.md says what survives power loss).
 *
 * Every call blocks until the database has answered (an SQLite commit waits for fsync, a
 * PostgreSQL call for a round trip): a daemon calls the store from a worker thread, never
 * from its event loop. A store handle belongs to one thread at a time. Any number of handles, in
 * any number of processes, may use the same database at once; the SQN of a subscriber is never
 * handed out twice among them.
 *
 * All functions return 0 (or a count where stated) on success and a negative -SEN_E… code
 * on failure:
 *   -SEN_EINVAL   bad argument: NULL, malformed SUPI, a value out of range (nothing written)
 *   -SEN_ENOENT   no subscriber with that SUPI (or no AMF registration for get / del)
 *   -SEN_EEXIST   add: the SUPI is already provisioned (nothing written)
 *   -SEN_ERANGE   sqn_next: SEQ would wrap (TS 33.102 C.2.1; the USIM must be re-provisioned)
 *   -SEN_ENOTSUP  open: unknown URL scheme, or the database has a newer schema version
 *   -SEN_EAGAIN   the database stayed busy (locked by another writer) too long
 *   -SEN_EIO      the database failed (message logged under module "udr", without values)
 *   -SEN_ENOMEM   out of memory
 * Values given as input are never put into SQL text: they go in as bound parameters only.
 * K and OP/OPc never appear in log lines or error messages.
 */
#ifndef SEN_UDR_STORE_H
#define SEN_UDR_STORE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEN_UDR_SUPI_SIZE      21  /* "imsi-" + up to 15 digits + NUL */
#define SEN_UDR_GPSI_SIZE      128 /* "msisdn-<5..15 digits>" or "extid-<user>@<domain>" + NUL */
#define SEN_UDR_DNN_SIZE       101 /* TS 23.003 9.1: a DNN is at most 100 octets; + NUL */
#define SEN_UDR_NFID_SIZE      37  /* NfInstanceId: a UUID, 36 characters (TS 29.571) + NUL */
#define SEN_UDR_MAX_GPSIS      4
#define SEN_UDR_MAX_SLICES     8 /* subscribed S-NSSAIs (an Allowed NSSAI holds 8, TS 24.501) */
#define SEN_UDR_MAX_DNNS       8 /* DNNs per S-NSSAI */
#define SEN_UDR_SD_NONE	       0xffffffu	 /* TS 23.003 28.4.2: no SD */
#define SEN_UDR_SQN_MAX	       0xffffffffffffull /* SQN is 48 bits (TS 33.102 6.3.2) */
#define SEN_UDR_IND_BITS       5     /* length of IND in SQN = SEQ || IND (TS 33.102 Annex C.3) */
#define SEN_UDR_AMF_REG_MAX    65536 /* bytes of JSON accepted for an AMF registration */
#define SEN_UDR_AUTH_STATUS_MAX 16384 /* bytes of JSON accepted for an AuthEvent */
#define SEN_UDR_TIME_SIZE      64    /* DateTime (TS 29.571, RFC 3339) + NUL */
#define SEN_UDR_AUTH_TYPE_SIZE 32    /* AuthType (TS 29.503): "5G_AKA", "EAP_AKA_PRIME" … + NUL */
#define SEN_UDR_SNN_SIZE       256   /* ServingNetworkName (TS 24.501 9.12.1) + NUL */
#define SEN_UDR_SCHEMA_VERSION 2     /* meta.schema_version written by this code (docs/udr-store.md) */

/* TS 29.505 AuthenticationSubscription.authenticationMethod; only 5G AKA for now. */
enum sen_udr_auth_method {
	SEN_UDR_AUTH_5G_AKA = 0,
};

/* Which operator variant the subscriber's 16-byte OP value is (TS 35.206 4.1). */
enum sen_udr_op_kind {
	SEN_UDR_OPC = 0, /* OPc, already derived from OP and K: used as is */
	SEN_UDR_OP = 1,	 /* OP: the UDM derives OPc = AES_K(OP) xor OP before Milenage */
};

/* TS 29.505 AuthenticationSubscription, the parts Sen uses. */
struct sen_udr_auth {
	enum sen_udr_auth_method method;
	uint8_t k[16]; /* permanent key K */
	enum sen_udr_op_kind op_kind;
	uint8_t op[16]; /* OPc or OP, as op_kind says */
	uint8_t amf[2]; /* AMF field; its separation bit (the first bit) must be 1 */
	uint64_t sqn;	/* 48 bits: SQN_HE, the SQN of the last vector (or as provisioned) */
};

/* TS 29.571 PduSessionType. */
enum sen_udr_pdu_type {
	SEN_UDR_PDU_IPV4 = 0,
	SEN_UDR_PDU_IPV6,
	SEN_UDR_PDU_IPV4V6,
	SEN_UDR_PDU_UNSTRUCTURED,
	SEN_UDR_PDU_ETHERNET,
	SEN_UDR_PDU_MAX
};

/* One DNN of an S-NSSAI: TS 29.503 DnnConfiguration and DnnInfo. */
struct sen_udr_dnn {
	char dnn[SEN_UDR_DNN_SIZE];	/* labels of letters, digits, '-', separated by '.' */
	bool is_default;		/* DnnInfo.defaultDnnIndicator */
	enum sen_udr_pdu_type pdu_type; /* pduSessionTypes.defaultSessionType */
	uint8_t qi5;			/* 5gQosProfile.5qi: 1..255 (TS 23.501 5.7.4) */
	uint8_t arp_priority;	   /* 5gQosProfile.arp.priorityLevel: 1..15 (TS 23.501 5.7.2.2) */
	bool arp_preempt_cap;	   /* arp.preemptCap: true = MAY_PREEMPT, false = NOT_PREEMPT */
	bool arp_preempt_vuln;	   /* arp.preemptVuln: true = PREEMPTABLE */
	uint64_t ambr_ul, ambr_dl; /* sessionAmbr, bit/s; 0: not subscribed */
	bool has_static_ipv4;
	struct in_addr static_ipv4; /* staticIpAddress[0].ipv4Addr when has_static_ipv4 */
};

/* A subscribed S-NSSAI (TS 23.003 28.4.2) with its DNNs. */
struct sen_udr_slice {
	uint8_t sst;
	uint32_t sd;	 /* 24 bits, or SEN_UDR_SD_NONE */
	bool is_default; /* listed in Nssai.defaultSingleNssais */
	size_t n_dnns;
	struct sen_udr_dnn dnns[SEN_UDR_MAX_DNNS];
};

/* Everything the store keeps about one subscriber except the AMF registration. */
struct sen_udr_subscriber {
	char supi[SEN_UDR_SUPI_SIZE];
	struct sen_udr_auth auth;
	size_t n_gpsis;
	char gpsis[SEN_UDR_MAX_GPSIS][SEN_UDR_GPSI_SIZE];
	uint64_t ue_ambr_ul, ue_ambr_dl; /* subscribedUeAmbr, bit/s; 0: not subscribed */
	size_t n_slices;
	struct sen_udr_slice slices[SEN_UDR_MAX_SLICES];
	bool barred; /* provisioned but barred from service */
};

/*
 * The authentication status of a subscriber: the members of the last TS 29.503 AuthEvent
 * (6.3.6.2.6) that the store keeps in columns of their own. The whole AuthEvent is kept as
 * JSON text beside them.
 */
struct sen_udr_auth_status {
	char nf_instance_id[SEN_UDR_NFID_SIZE];	      /* nfInstanceId of the AUSF: a UUID */
	bool success;				      /* success */
	char time_stamp[SEN_UDR_TIME_SIZE];	      /* timeStamp, as given */
	char auth_type[SEN_UDR_AUTH_TYPE_SIZE];	      /* authType */
	char serving_network_name[SEN_UDR_SNN_SIZE]; /* servingNetworkName */
};

struct sen_udr_store;

/* ---------------------------------------------------------------------------------------- */
/* Helpers on values (no database).                                                           */

/* True if `supi` is "imsi-" followed by 5 to 15 decimal digits (TS 23.003 2.2, 2.2A). */
bool sen_udr_supi_valid(const char *supi);

/*
 * Fill *sub with defaults for `supi`: method 5G_AKA, OPc, AMF 0x8000, SQN 0, no GPSI, no
 * AMBR, no slice, not barred; K and OP zero. Does not check the SUPI (copies at most
 * SEN_UDR_SUPI_SIZE - 1 characters). *sub must then get K, OP and at least one default slice.
 */
void sen_udr_subscriber_init(struct sen_udr_subscriber *sub, const char *supi);

/*
 * Check a subscriber as add and update do: valid SUPI; method 5G_AKA; op_kind known; AMF
 * separation bit 1 (TS 33.501 6.1.3.2, TS 33.102 Annex H); SQN < 2^48; counts within the
 * arrays; GPSIs "msisdn-<5..15 digits>" or "extid-<user>@<domain>"; 1..SEN_UDR_MAX_SLICES
 * S-NSSAIs, no two alike, at least one default (TS 29.503 Nssai.defaultSingleNssais), SD
 * 24-bit or SEN_UDR_SD_NONE; per slice distinct DNN names, valid per TS 23.003 9.1, at most one
 * default; 5QI 1..255; ARP priority 1..15; PDU type known. Returns 0 or -SEN_EINVAL.
 */
int sen_udr_subscriber_check(const struct sen_udr_subscriber *sub);

/* ---------------------------------------------------------------------------------------- */
/* The store.                                                                                 */

/*
 * Open the store named by `url` ("sqlite:<path>", "postgresql://…", "postgres://…"),
 * creating the tables on first use (schema version SEN_UDR_SCHEMA_VERSION), or migrating a
 * database of an older version to it, in one transaction. An SQLite file is created if
 * missing. Returns 0 with *store set, or -SEN_EINVAL (NULL / empty path),
 * -SEN_ENOTSUP (other scheme; schema newer than this code), -SEN_EIO (cannot open or
 * connect), -SEN_ENOMEM; *store is NULL then.
 */
int sen_udr_store_open(const char *url, struct sen_udr_store **store);

/* Close the store (NULL is fine). No transaction is ever left open between calls. */
void sen_udr_store_close(struct sen_udr_store *store);

/* "sqlite" or "postgresql": the back end in use. */
const char *sen_udr_store_backend(const struct sen_udr_store *store);

/*
 * Provision a new subscriber, checked with sen_udr_subscriber_check(). Returns 0,
 * -SEN_EINVAL, or -SEN_EEXIST if the SUPI is already there (then nothing is written).
 */
int sen_udr_store_add(struct sen_udr_store *store, const struct sen_udr_subscriber *sub);

/* Read a whole subscriber (consistent snapshot) into *sub. -SEN_ENOENT if unknown. */
int sen_udr_store_get(struct sen_udr_store *store, const char *supi,
		      struct sen_udr_subscriber *sub);

/*
 * Read only the authentication subscription (one query; the UDM's hot path).
 * -SEN_ENOENT if unknown. *barred (may be NULL) gets the barred flag.
 */
int sen_udr_store_auth_get(struct sen_udr_store *store, const char *supi, struct sen_udr_auth *auth,
			   bool *barred);

/*
 * Replace everything stored for sub->supi with *sub, except the SQN: sub->auth.sqn is
 * ignored and the stored SQN kept, so that a read-modify-write by a provisioning tool can
 * never move it back while vectors are being issued (use sen_udr_store_sqn_resync to move
 * it forward). The AMF registration is kept. Returns 0, -SEN_EINVAL or -SEN_ENOENT.
 */
int sen_udr_store_update(struct sen_udr_store *store, const struct sen_udr_subscriber *sub);

/* Delete a subscriber with all its data and its AMF registration. -SEN_ENOENT if unknown. */
int sen_udr_store_del(struct sen_udr_store *store, const char *supi);

/*
 * List SUPIs in ascending byte order, starting after `after` (NULL or "" : from the first).
 * Writes up to `max` SUPIs to `supis` and their count to *n. Fewer than `max` means the end
 * was reached; otherwise call again with after = the last SUPI returned. Returns 0 or
 * -SEN_EINVAL (`after` not a valid SUPI, max 0 …).
 */
int sen_udr_store_list(struct sen_udr_store *store, const char *after,
		       char (*supis)[SEN_UDR_SUPI_SIZE], size_t max, size_t *n);

/*
 * Advance the subscriber's SQN and return the SQN to put in the next authentication vector,
 * in one atomic statement (UPDATE … RETURNING in a transaction): two callers, in any
 * processes, never get the same value, and a value returned survives a crash, so it is never
 * returned again.
 *
 * TS 33.102 Annex C.1.1 with the not-time-based profile of Annex C.3: SQN = SEQ || IND, IND
 * the 5 least significant bits. Each vector gets SEQ = SEQ_HE + 1 and IND = 0, i.e.
 *     sqn = ((SQN_HE >> 5) + 1) << 5
 * and SQN_HE := sqn. 5G AKA fetches one vector per authentication and uses it at once, so
 * one IND slot of the USIM's array (C.2.2) suffices; Annex C leaves IND allocation to the HE.
 * Returns 0 with *sqn set, -SEN_ENOENT, or -SEN_ERANGE if SEQ is at its maximum
 * (2^43 - 1): the USIM would see a wrap-around (C.2.1), so nothing more is issued.
 */
int sen_udr_store_sqn_next(struct sen_udr_store *store, const char *supi, uint64_t *sqn);

/*
 * Group commit: several calls share one transaction, and so one commit (one fsync).
 *
 * After sen_udr_store_batch_begin(), every call on this handle runs inside the batch's
 * write transaction, each in a savepoint of its own: a call that fails is undone alone and
 * the others go on. NOTHING the calls wrote is durable, or visible to other handles, until
 * sen_udr_store_batch_commit() has returned 0; so the caller must not act on any result
 * (answer a request, hand out an SQN) before that. If the commit fails, every call of the
 * batch is undone, whatever it returned. A handle is in at most one batch at a time, and
 * sen_udr_store_batch_commit() always ends it.
 *
 * begin returns 0, -SEN_EINVAL (already in a batch), -SEN_EAGAIN (the write lock stayed
 * taken) or -SEN_EIO; commit returns 0 or the commit's error (-SEN_EIO when an error
 * inside the batch had already rolled the transaction back).
 */
int sen_udr_store_batch_begin(struct sen_udr_store *store);
int sen_udr_store_batch_commit(struct sen_udr_store *store);

/*
 * Re-synchronise after the UE reported AUTS (TS 33.102 6.3.5): `sqn_ms` is the SQN_MS the
 * UDM recovered and verified from AUTS. Sets SQN_HE := max(SQN_HE, SEQ_MS || 0), so that the
 * next sen_udr_store_sqn_next() returns SEQ_MS + 1, which the USIM accepts as fresh
 * (C.2.2), and the HE counter never moves back (no SQN is ever issued twice).
 * Returns 0, -SEN_EINVAL (sqn_ms >= 2^48) or -SEN_ENOENT.
 */
int sen_udr_store_sqn_resync(struct sen_udr_store *store, const char *supi, uint64_t sqn_ms);

/*
 * Store (insert or replace) the subscriber's AMF 3GPP access registration: `amf_instance_id`
 * (a UUID, the registration's amfInstanceId) and `json`, the Amf3GppAccessRegistration as
 * JSON text (1..SEN_UDR_AMF_REG_MAX bytes; kept as given, not parsed here).
 * Returns 0, -SEN_EINVAL or -SEN_ENOENT (no such subscriber).
 */
int sen_udr_store_amf_reg_put(struct sen_udr_store *store, const char *supi,
			      const char *amf_instance_id, const char *json);

/*
 * Read the AMF 3GPP access registration. On success fills amf_instance_id (may be NULL) and
 * sets *json to a malloc'd NUL-terminated copy the caller frees. Returns 0, -SEN_ENOENT (no
 * subscriber, or no registration), -SEN_EINVAL, -SEN_ENOMEM.
 */
int sen_udr_store_amf_reg_get(struct sen_udr_store *store, const char *supi,
			      char amf_instance_id[SEN_UDR_NFID_SIZE], char **json);

/* Remove the AMF registration. Returns 0, or -SEN_ENOENT if there was none. */
int sen_udr_store_amf_reg_del(struct sen_udr_store *store, const char *supi);

/*
 * Store (insert or replace) the subscriber's authentication status (TS 29.505 5.2.24,
 * CreateAuthenticationStatus): the members of *ev, checked (nf_instance_id a UUID; the
 * strings non-empty, printable ASCII, NUL-terminated within their arrays), and `json`, the
 * AuthEvent as JSON text (1..SEN_UDR_AUTH_STATUS_MAX bytes; kept as given, not parsed here).
 * Returns 0, -SEN_EINVAL or -SEN_ENOENT (no such subscriber).
 */
int sen_udr_store_auth_status_put(struct sen_udr_store *store, const char *supi,
				  const struct sen_udr_auth_status *ev, const char *json);

/*
 * Read the authentication status (QueryAuthenticationStatus). On success fills *ev (may be
 * NULL) and sets *json to a malloc'd NUL-terminated copy the caller frees. Returns 0,
 * -SEN_ENOENT (no subscriber, or no status stored), -SEN_EINVAL, -SEN_ENOMEM.
 */
int sen_udr_store_auth_status_get(struct sen_udr_store *store, const char *supi,
				  struct sen_udr_auth_status *ev, char **json);

/* Remove the authentication status (DeleteAuthenticationStatus). 0, or -SEN_ENOENT if none. */
int sen_udr_store_auth_status_del(struct sen_udr_store *store, const char *supi);

/* ---------------------------------------------------------------------------------------- */
/*
 * Back-end interface, used only by store.c, store_sqlite.c and store_pg.c. store.c holds the
 * SQL and the logic once, with '?' placeholders; each back end runs statements on its
 * database. Not for other callers.
 */

enum sen_udr_db_type { SEN_UDR_DB_NULL, SEN_UDR_DB_INT, SEN_UDR_DB_TEXT };

struct sen_udr_db_param {
	enum sen_udr_db_type type;
	int64_t i;     /* SEN_UDR_DB_INT */
	const char *s; /* SEN_UDR_DB_TEXT, NUL-terminated */
};

/*
 * Called for each result row with its columns as text (NULL for SQL NULL; integers in
 * decimal). Returns 0, or a negative error that stops the statement.
 */
typedef int (*sen_udr_db_row_fn)(void *arg, const char *const *cols, int ncols);

struct sen_udr_db_ops {
	const char *name;
	/* Column type of SUPI keys: text compared byte by byte (list paging order). */
	const char *key_type;
	/* Run first in the schema transaction at open, to serialise concurrent first opens
	 * (NULL: the write transaction is enough). */
	const char *schema_lock;
	int (*open)(const char *target, void **db); /* target: the URL without "sqlite:" */
	void (*close)(void *db);
	/* write: a transaction that will write (SQLite takes the write lock at once). */
	int (*begin)(void *db, bool write);
	int (*commit)(void *db);
	void (*rollback)(void *db);
	/* True while a transaction is open (begin called, and not ended by an error). */
	bool (*in_tx)(void *db);
	/*
	 * Run one statement with '?' placeholders bound to p[0..np-1], to completion; rows go
	 * to fn (may be NULL). Outside begin/commit the statement is its own transaction,
	 * committed before exec returns. Returns the number of rows changed by an
	 * INSERT/UPDATE/DELETE (0 for other statements), or a negative error: -SEN_EEXIST
	 * (unique violation), -SEN_ENOENT (foreign key violation), -SEN_EAGAIN (busy),
	 * -SEN_EIO, -SEN_ENOMEM, or fn's negative value (which stops the statement).
	 */
	int (*exec)(void *db, const char *sql, const struct sen_udr_db_param *p, int np,
		    sen_udr_db_row_fn fn, void *arg);
};

extern const struct sen_udr_db_ops sen_udr_db_sqlite;
extern const struct sen_udr_db_ops sen_udr_db_pg;

#endif
