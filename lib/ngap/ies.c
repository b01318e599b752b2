/*
 * NGAP common information elements (TS 38.413 clause 9.3, module NGAP-IEs) described as
 * lib/asn tables: identities (PLMN, TAI, NR/E-UTRA CGI, Global RAN Node ID, GUAMI,
 * 5G-S-TMSI), User Location Information, S-NSSAI and slice lists, Cause, Criticality
 * Diagnostics, security capabilities and key, bit rates, transport layer information,
 * supported TA / PLMN support / served GUAMI lists, and the small ENUMERATED and INTEGER
 * types. Constraints and extension markers follow the Release 17 ASN.1 (38413-h30).
 */
#include "ngap/ngap_int.h"

/* ---- containers (9.4 NGAP-Containers) -------------------------------------------------- */

const struct sen_asn_type ngap_t_ext = {.name = "ProtocolExtensionContainer",
					.kind = SEN_ASN_IE_CONTAINER,
					.size = sizeof(struct sen_ngap_ext),
					.min = 1,
					.max = 65535,
					.raw_off = offsetof(struct sen_ngap_ext, ies) + 1};

T_INT(ngap_t_ie_id, "ProtocolIE-ID", 2, 0, 65535, 0);
T_INT(ngap_t_procedure_code, "ProcedureCode", 1, 0, 255, 0);
T_ENUM(ngap_t_criticality, "Criticality", 3, 0, 0);
T_ENUM(ngap_t_triggering_message, "TriggeringMessage", 3, 0, 0);

static const struct sen_asn_type t_single_value = {
    .name = "value", .kind = SEN_ASN_OPEN_TYPE, .size = sizeof(struct sen_asn_open)};
static const struct sen_asn_member single_m[] = {
    M("id", ngap_t_ie_id, struct sen_ngap_single, id),
    M("criticality", ngap_t_criticality, struct sen_ngap_single, criticality),
    M("value", t_single_value, struct sen_ngap_single, value),
};
const struct sen_asn_type ngap_t_single = {.name = "ProtocolIE-SingleContainer",
					   .kind = SEN_ASN_SEQUENCE,
					   .size = sizeof(struct sen_ngap_single),
					   .members = single_m,
					   .nmembers = NGAP_N(single_m)};

/* ---- primitive IEs ------------------------------------------------------------------------ */

T_OCTS(ngap_t_octets, "OCTET STRING", 0, 0);
T_OCTS(ngap_t_nas_pdu, "NAS-PDU", 0, 0); /* 9.3.3.4 */
T_OCTS(ngap_t_plmn, "PLMNIdentity", 3, 3); /* 9.3.3.5 */
T_OCTS(ngap_t_tac, "TAC", 3, 3);	   /* 9.3.3.10 */
T_OCTS(ngap_t_teid, "GTP-TEID", 4, 4);	   /* 9.3.2.5 */
static T_OCTS(t_sst, "SST", 1, 1);
static T_OCTS(t_sd, "SD", 3, 3);
static T_OCTS(t_time_stamp, "TimeStamp", 4, 4);
static T_OCTS(t_port, "PortNumber", 2, 2);
static T_OCTS(t_tmsi, "FiveG-TMSI", 4, 4);
static T_OCTS(t_configured_nssai, "ConfiguredNSSAI", 128, 128);
static T_OCTS(t_rejected_nssai, "RejectedNSSAI", 32, 32);

T_INT(ngap_t_amf_ue_ngap_id, "AMF-UE-NGAP-ID", 8, 0, 1099511627775LL, 0); /* 9.3.3.1 */
T_INT(ngap_t_ran_ue_ngap_id, "RAN-UE-NGAP-ID", 4, 0, 4294967295LL, 0);	   /* 9.3.3.2 */
T_INT(ngap_t_psi, "PDUSessionID", 1, 0, 255, 0);			   /* 9.3.1.50 */
T_INT(ngap_t_qfi, "QosFlowIdentifier", 1, 0, 63, 1);			   /* 9.3.1.51 */
T_INT(ngap_t_bit_rate, "BitRate", 8, 0, 4000000000000LL, 1);		   /* 9.3.1.? */
T_INT(ngap_t_u8, "INTEGER (0..255)", 1, 0, 255, 0);
T_INT(ngap_t_ran_paging_priority, "RANPagingPriority", 2, 1, 256, 0);
T_INT(ngap_t_index_to_rfsp, "IndexToRFSP", 2, 1, 256, 1);
T_INT(ngap_t_network_instance, "NetworkInstance", 2, 1, 256, 1);
T_INT(ngap_t_extended_connected_time, "Extended-ConnectedTime", 1, 0, 255, 0);

T_BITS(ngap_t_tla, "TransportLayerAddress", 1, 160, 1); /* 9.3.2.4 */
T_BITS(ngap_t_amf_set_id, "AMFSetID", 10, 10, 0);
T_BITS(ngap_t_security_key, "SecurityKey", 256, 256, 0); /* 9.3.1.87 */
T_BITS(ngap_t_masked_imeisv, "MaskedIMEISV", 64, 64, 0);
static T_BITS(t_amf_region_id, "AMFRegionID", 8, 8, 0);
static T_BITS(t_amf_pointer, "AMFPointer", 6, 6, 0);
static T_BITS(t_nr_cell_id, "NRCellIdentity", 36, 36, 0);
static T_BITS(t_eutra_cell_id, "EUTRACellIdentity", 28, 28, 0);
static T_BITS(t_gnb_id_bits, "gNB-ID", 22, 32, 0);
static T_BITS(t_macro_ngenb, "macroNgENB-ID", 20, 20, 0);
static T_BITS(t_short_macro_ngenb, "shortMacroNgENB-ID", 18, 18, 0);
static T_BITS(t_long_macro_ngenb, "longMacroNgENB-ID", 21, 21, 0);
static T_BITS(t_n3iwf_id_bits, "n3IWF-ID", 16, 16, 0);
static T_BITS(t_nid, "NID", 44, 44, 0);
static T_BITS(t_cag_id, "CAG-ID", 32, 32, 0);
static T_BITS(t_nr_enc, "NRencryptionAlgorithms", 16, 16, 1);
static T_BITS(t_nr_int, "NRintegrityProtectionAlgorithms", 16, 16, 1);
static T_BITS(t_eutra_enc, "EUTRAencryptionAlgorithms", 16, 16, 1);
static T_BITS(t_eutra_int, "EUTRAintegrityProtectionAlgorithms", 16, 16, 1);

/* ENUMERATED types without a name worth printing share these: n root values, "..." */
T_ENUM(ngap_t_enum1x, "ENUMERATED", 1, 1, 0);
T_ENUM(ngap_t_enum2x, "ENUMERATED", 2, 1, 0);
T_ENUM(ngap_t_enum3x, "ENUMERATED", 3, 1, 0);
T_ENUM(ngap_t_enum4x, "ENUMERATED", 4, 1, 0);
T_ENUM(ngap_t_paging_drx, "PagingDRX", 4, 1, 0);
T_ENUM(ngap_t_time_to_wait, "TimeToWait", 6, 1, 0);
T_ENUM(ngap_t_paging_priority, "PagingPriority", 8, 1, 0);
T_ENUM(ngap_t_rrc_state, "RRCState", 2, 1, 0);
T_ENUM(ngap_t_pdu_session_type, "PDUSessionType", 5, 1, 0);
T_ENUM(ngap_t_type_of_error, "TypeOfError", 2, 1, 0);
T_ENUM(ngap_t_rrc_cause, "RRCEstablishmentCause", 10, 1, 2); /* 9.3.1.111 */
static T_ENUM(t_rat_information, "RAT-Information", 2, 1, 4);

/* ---- Cause (9.3.1.2) ----------------------------------------------------------------------- */

T_ENUM(ngap_t_cause_rn, "CauseRadioNetwork", 45, 1, 12);
T_ENUM(ngap_t_cause_tr, "CauseTransport", 2, 1, 0);
T_ENUM(ngap_t_cause_nas, "CauseNas", 4, 1, 1);
T_ENUM(ngap_t_cause_proto, "CauseProtocol", 7, 1, 0);
T_ENUM(ngap_t_cause_misc, "CauseMisc", 6, 1, 0);
static const struct sen_asn_member cause_m[] = {
    ALT("radioNetwork", ngap_t_cause_rn, struct sen_ngap_cause),
    ALT("transport", ngap_t_cause_tr, struct sen_ngap_cause),
    ALT("nas", ngap_t_cause_nas, struct sen_ngap_cause),
    ALT("protocol", ngap_t_cause_proto, struct sen_ngap_cause),
    ALT("misc", ngap_t_cause_misc, struct sen_ngap_cause),
    ALTX(struct sen_ngap_cause),
};
T_CHOICE(ngap_t_cause, "Cause", struct sen_ngap_cause, cause_m);

/* ---- Criticality Diagnostics (9.3.1.3) ------------------------------------------------------ */

static const struct sen_asn_member cd_ie_m[] = {
    M("iECriticality", ngap_t_criticality, struct sen_ngap_cd_ie, criticality),
    M("iE-ID", ngap_t_ie_id, struct sen_ngap_cd_ie, id),
    M("typeOfError", ngap_t_type_of_error, struct sen_ngap_cd_ie, type_of_error),
    MEXT(struct sen_ngap_cd_ie),
};
static T_SEQ(t_cd_ie, "CriticalityDiagnostics-IE-Item", struct sen_ngap_cd_ie, cd_ie_m);
static T_LIST(t_cd_ie_list, "CriticalityDiagnostics-IE-List", t_cd_ie, 1, 256);
static const struct sen_asn_member cd_m[] = {
    MO("procedureCode", ngap_t_procedure_code, struct sen_ngap_crit_diag, procedure_code),
    MO("triggeringMessage", ngap_t_triggering_message, struct sen_ngap_crit_diag,
       triggering_message),
    MO("procedureCriticality", ngap_t_criticality, struct sen_ngap_crit_diag,
       procedure_criticality),
    MO("iEsCriticalityDiagnostics", t_cd_ie_list, struct sen_ngap_crit_diag, ies),
    MEXT(struct sen_ngap_crit_diag),
};
T_SEQ(ngap_t_crit_diag, "CriticalityDiagnostics", struct sen_ngap_crit_diag, cd_m);

/* ---- S-NSSAI (9.3.1.24) and slice lists ----------------------------------------------------- */

static const struct sen_asn_member snssai_m[] = {
    M("sST", t_sst, struct sen_ngap_snssai, sst),
    MO("sD", t_sd, struct sen_ngap_snssai, sd),
    MEXT(struct sen_ngap_snssai),
};
T_SEQ(ngap_t_snssai, "S-NSSAI", struct sen_ngap_snssai, snssai_m);
static const struct sen_asn_member slice_item_m[] = {
    M("s-NSSAI", ngap_t_snssai, struct sen_ngap_slice_item, snssai),
    MEXT(struct sen_ngap_slice_item),
};
static T_SEQ(t_slice_item, "SliceSupportItem", struct sen_ngap_slice_item, slice_item_m);
static T_SEQ(t_allowed_item, "AllowedNSSAI-Item", struct sen_ngap_slice_item, slice_item_m);
T_LIST(ngap_t_slice_list, "SliceSupportList", t_slice_item, 1, 1024);
T_LIST(ngap_t_allowed_nssai, "AllowedNSSAI", t_allowed_item, 1, 8); /* 9.3.1.31 */
static T_LIST(t_ext_slice_list, "ExtendedSliceSupportList", t_slice_item, 1, 65535);

/* ---- TAI, CGIs, User Location Information (9.3.3.11, 9.3.1.7, 9.3.1.9, 9.3.1.16) ---------- */

static const struct sen_asn_member tai_m[] = {
    M("pLMNIdentity", ngap_t_plmn, struct sen_ngap_tai, plmn),
    M("tAC", ngap_t_tac, struct sen_ngap_tai, tac),
    MEXT(struct sen_ngap_tai),
};
T_SEQ(ngap_t_tai, "TAI", struct sen_ngap_tai, tai_m);

static const struct sen_asn_member nr_cgi_m[] = {
    M("pLMNIdentity", ngap_t_plmn, struct sen_ngap_cgi, plmn),
    M("nRCellIdentity", t_nr_cell_id, struct sen_ngap_cgi, cell_id),
    MEXT(struct sen_ngap_cgi),
};
T_SEQ(ngap_t_nr_cgi, "NR-CGI", struct sen_ngap_cgi, nr_cgi_m);
static const struct sen_asn_member eutra_cgi_m[] = {
    M("pLMNIdentity", ngap_t_plmn, struct sen_ngap_cgi, plmn),
    M("eUTRACellIdentity", t_eutra_cell_id, struct sen_ngap_cgi, cell_id),
    MEXT(struct sen_ngap_cgi),
};
T_SEQ(ngap_t_eutra_cgi, "EUTRA-CGI", struct sen_ngap_cgi, eutra_cgi_m);

static const struct sen_asn_member ngran_cgi_m[] = {
    ALT("nR-CGI", ngap_t_nr_cgi, struct sen_ngap_ngran_cgi),
    ALT("eUTRA-CGI", ngap_t_eutra_cgi, struct sen_ngap_ngran_cgi),
    ALTX(struct sen_ngap_ngran_cgi),
};
static T_CHOICE(t_ngran_cgi, "NGRAN-CGI", struct sen_ngap_ngran_cgi, ngran_cgi_m);

static const struct sen_asn_member uli_nr_ext_m[] = {
    IEO("PSCellInformation", 149, IGNORE, t_ngran_cgi, struct sen_ngap_uli_nr_ext, pscell),
    IEO("NID", 263, REJECT, t_nid, struct sen_ngap_uli_nr_ext, nid),
};
static T_EXTC(t_uli_nr_ext, "UserLocationInformationNR-ExtIEs", struct sen_ngap_uli_nr_ext,
	      uli_nr_ext_m);
static const struct sen_asn_member uli_nr_m[] = {
    M("nR-CGI", ngap_t_nr_cgi, struct sen_ngap_uli_nr, cgi),
    M("tAI", ngap_t_tai, struct sen_ngap_uli_nr, tai),
    MO("timeStamp", t_time_stamp, struct sen_ngap_uli_nr, time_stamp),
    MX(struct sen_ngap_uli_nr, t_uli_nr_ext),
};
static T_SEQ(t_uli_nr, "UserLocationInformationNR", struct sen_ngap_uli_nr, uli_nr_m);
static const struct sen_asn_member uli_eutra_m[] = {
    M("eUTRA-CGI", ngap_t_eutra_cgi, struct sen_ngap_uli_eutra, cgi),
    M("tAI", ngap_t_tai, struct sen_ngap_uli_eutra, tai),
    MO("timeStamp", t_time_stamp, struct sen_ngap_uli_eutra, time_stamp),
    MEXT(struct sen_ngap_uli_eutra),
};
static T_SEQ(t_uli_eutra, "UserLocationInformationEUTRA", struct sen_ngap_uli_eutra,
	     uli_eutra_m);
static const struct sen_asn_member uli_n3iwf_m[] = {
    M("iPAddress", ngap_t_tla, struct sen_ngap_uli_n3iwf, ip),
    M("portNumber", t_port, struct sen_ngap_uli_n3iwf, port),
    MEXT(struct sen_ngap_uli_n3iwf),
};
static T_SEQ(t_uli_n3iwf, "UserLocationInformationN3IWF", struct sen_ngap_uli_n3iwf,
	     uli_n3iwf_m);
static const struct sen_asn_member uli_m[] = {
    ALT("userLocationInformationEUTRA", t_uli_eutra, struct sen_ngap_uli),
    ALT("userLocationInformationNR", t_uli_nr, struct sen_ngap_uli),
    ALT("userLocationInformationN3IWF", t_uli_n3iwf, struct sen_ngap_uli),
    ALTX(struct sen_ngap_uli),
};
T_CHOICE(ngap_t_uli, "UserLocationInformation", struct sen_ngap_uli, uli_m);

/* ---- Global RAN Node ID (9.3.1.5) ------------------------------------------------------------ */

static const struct sen_asn_member gnb_id_m[] = {
    ALT("gNB-ID", t_gnb_id_bits, struct sen_ngap_node_id),
    ALTX(struct sen_ngap_node_id),
};
static T_CHOICE(t_gnb_id, "GNB-ID", struct sen_ngap_node_id, gnb_id_m);
static const struct sen_asn_member ngenb_id_m[] = {
    ALT("macroNgENB-ID", t_macro_ngenb, struct sen_ngap_node_id),
    ALT("shortMacroNgENB-ID", t_short_macro_ngenb, struct sen_ngap_node_id),
    ALT("longMacroNgENB-ID", t_long_macro_ngenb, struct sen_ngap_node_id),
    ALTX(struct sen_ngap_node_id),
};
static T_CHOICE(t_ngenb_id, "NgENB-ID", struct sen_ngap_node_id, ngenb_id_m);
static const struct sen_asn_member n3iwf_id_m[] = {
    ALT("n3IWF-ID", t_n3iwf_id_bits, struct sen_ngap_node_id),
    ALTX(struct sen_ngap_node_id),
};
static T_CHOICE(t_n3iwf_id, "N3IWF-ID", struct sen_ngap_node_id, n3iwf_id_m);

static const struct sen_asn_member global_gnb_m[] = {
    M("pLMNIdentity", ngap_t_plmn, struct sen_ngap_global_node, plmn),
    M("gNB-ID", t_gnb_id, struct sen_ngap_global_node, id),
    MEXT(struct sen_ngap_global_node),
};
static T_SEQ(t_global_gnb, "GlobalGNB-ID", struct sen_ngap_global_node, global_gnb_m);
static const struct sen_asn_member global_ngenb_m[] = {
    M("pLMNIdentity", ngap_t_plmn, struct sen_ngap_global_node, plmn),
    M("ngENB-ID", t_ngenb_id, struct sen_ngap_global_node, id),
    MEXT(struct sen_ngap_global_node),
};
static T_SEQ(t_global_ngenb, "GlobalNgENB-ID", struct sen_ngap_global_node, global_ngenb_m);
static const struct sen_asn_member global_n3iwf_m[] = {
    M("pLMNIdentity", ngap_t_plmn, struct sen_ngap_global_node, plmn),
    M("n3IWF-ID", t_n3iwf_id, struct sen_ngap_global_node, id),
    MEXT(struct sen_ngap_global_node),
};
static T_SEQ(t_global_n3iwf, "GlobalN3IWF-ID", struct sen_ngap_global_node, global_n3iwf_m);
static const struct sen_asn_member grnid_m[] = {
    ALT("globalGNB-ID", t_global_gnb, struct sen_ngap_global_ran_node_id),
    ALT("globalNgENB-ID", t_global_ngenb, struct sen_ngap_global_ran_node_id),
    ALT("globalN3IWF-ID", t_global_n3iwf, struct sen_ngap_global_ran_node_id),
    ALTX(struct sen_ngap_global_ran_node_id),
};
T_CHOICE(ngap_t_global_ran_node_id, "GlobalRANNodeID", struct sen_ngap_global_ran_node_id,
	 grnid_m);

/* ---- GUAMI (9.3.3.3), 5G-S-TMSI (9.3.3.20) ----------------------------------------------- */

static const struct sen_asn_member guami_m[] = {
    M("pLMNIdentity", ngap_t_plmn, struct sen_ngap_guami, plmn),
    M("aMFRegionID", t_amf_region_id, struct sen_ngap_guami, region),
    M("aMFSetID", ngap_t_amf_set_id, struct sen_ngap_guami, set),
    M("aMFPointer", t_amf_pointer, struct sen_ngap_guami, pointer),
    MEXT(struct sen_ngap_guami),
};
T_SEQ(ngap_t_guami, "GUAMI", struct sen_ngap_guami, guami_m);

static const struct sen_asn_member s_tmsi_m[] = {
    M("aMFSetID", ngap_t_amf_set_id, struct sen_ngap_5g_s_tmsi, set),
    M("aMFPointer", t_amf_pointer, struct sen_ngap_5g_s_tmsi, pointer),
    M("fiveG-TMSI", t_tmsi, struct sen_ngap_5g_s_tmsi, tmsi),
    MEXT(struct sen_ngap_5g_s_tmsi),
};
T_SEQ(ngap_t_s_tmsi, "FiveG-S-TMSI", struct sen_ngap_5g_s_tmsi, s_tmsi_m);

/* ---- security (9.3.1.86, 9.3.1.87), bit rates (9.3.1.58) ---------------------------------- */

static const struct sen_asn_member ue_sec_cap_m[] = {
    M("nRencryptionAlgorithms", t_nr_enc, struct sen_ngap_ue_sec_cap, nr_enc),
    M("nRintegrityProtectionAlgorithms", t_nr_int, struct sen_ngap_ue_sec_cap, nr_int),
    M("eUTRAencryptionAlgorithms", t_eutra_enc, struct sen_ngap_ue_sec_cap, eutra_enc),
    M("eUTRAintegrityProtectionAlgorithms", t_eutra_int, struct sen_ngap_ue_sec_cap, eutra_int),
    MEXT(struct sen_ngap_ue_sec_cap),
};
T_SEQ(ngap_t_ue_sec_cap, "UESecurityCapabilities", struct sen_ngap_ue_sec_cap, ue_sec_cap_m);

static const struct sen_asn_member ambr_m[] = {
    M("uEAggregateMaximumBitRateDL", ngap_t_bit_rate, struct sen_ngap_ambr, dl),
    M("uEAggregateMaximumBitRateUL", ngap_t_bit_rate, struct sen_ngap_ambr, ul),
    MEXT(struct sen_ngap_ambr),
};
T_SEQ(ngap_t_ambr, "UEAggregateMaximumBitRate", struct sen_ngap_ambr, ambr_m);

/* ---- transport layer information (9.3.2.2, 9.3.2.6) --------------------------------------- */

static const struct sen_asn_member gtp_m[] = {
    M("transportLayerAddress", ngap_t_tla, struct sen_ngap_gtp_tunnel, addr),
    M("gTP-TEID", ngap_t_teid, struct sen_ngap_gtp_tunnel, teid),
    MEXT(struct sen_ngap_gtp_tunnel),
};
static T_SEQ(t_gtp_tunnel, "GTPTunnel", struct sen_ngap_gtp_tunnel, gtp_m);
static const struct sen_asn_member up_tnl_m[] = {
    ALT("gTPTunnel", t_gtp_tunnel, struct sen_ngap_up_tnl),
    ALTX(struct sen_ngap_up_tnl),
};
T_CHOICE(ngap_t_up_tnl, "UPTransportLayerInformation", struct sen_ngap_up_tnl, up_tnl_m);
static const struct sen_asn_member cp_tnl_m[] = {
    ALT("endpointIPAddress", ngap_t_tla, struct sen_ngap_cp_tnl),
    ALTX(struct sen_ngap_cp_tnl),
};
T_CHOICE(ngap_t_cp_tnl, "CPTransportLayerInformation", struct sen_ngap_cp_tnl, cp_tnl_m);

/* ---- Supported TA list, PLMN support, served GUAMIs (9.3.3.?, 9.3.3.?) --------------------- */

static const struct sen_asn_member npn_support_m[] = {
    ALT("sNPN", t_nid, struct sen_ngap_node_id),
    ALTX(struct sen_ngap_node_id),
};
static T_CHOICE(t_npn_support, "NPN-Support", struct sen_ngap_node_id, npn_support_m);
static const struct sen_asn_member bplmn_ext_m[] = {
    IEO("NPN-Support", 258, REJECT, t_npn_support, struct sen_ngap_bplmn_ext, npn_support),
    IEO("ExtendedTAISliceSupportList", 271, REJECT, t_ext_slice_list, struct sen_ngap_bplmn_ext,
	ext_slices),
};
static T_EXTC(t_bplmn_ext, "BroadcastPLMNItem-ExtIEs", struct sen_ngap_bplmn_ext, bplmn_ext_m);
static const struct sen_asn_member bplmn_m[] = {
    M("pLMNIdentity", ngap_t_plmn, struct sen_ngap_bplmn_item, plmn),
    M("tAISliceSupportList", ngap_t_slice_list, struct sen_ngap_bplmn_item, slices),
    MX(struct sen_ngap_bplmn_item, t_bplmn_ext),
};
static T_SEQ(t_bplmn_item, "BroadcastPLMNItem", struct sen_ngap_bplmn_item, bplmn_m);
static T_LIST(t_bplmn_list, "BroadcastPLMNList", t_bplmn_item, 1, 12);

static const struct sen_asn_member ta_ext_m[] = {
    IEO("ConfiguredTACIndication", 272, IGNORE, ngap_t_enum1x, struct sen_ngap_ta_ext,
	configured_tac),
    IEO("RAT-Information", 179, REJECT, t_rat_information, struct sen_ngap_ta_ext,
	rat_information),
};
static T_EXTC(t_ta_ext, "SupportedTAItem-ExtIEs", struct sen_ngap_ta_ext, ta_ext_m);
static const struct sen_asn_member ta_item_m[] = {
    M("tAC", ngap_t_tac, struct sen_ngap_ta_item, tac),
    M("broadcastPLMNList", t_bplmn_list, struct sen_ngap_ta_item, bplmns),
    MX(struct sen_ngap_ta_item, t_ta_ext),
};
static T_SEQ(t_ta_item, "SupportedTAItem", struct sen_ngap_ta_item, ta_item_m);
T_LIST(ngap_t_supported_ta_list, "SupportedTAList", t_ta_item, 1, 256);

static const struct sen_asn_member plmn_support_m[] = {
    M("pLMNIdentity", ngap_t_plmn, struct sen_ngap_plmn_support_item, plmn),
    M("sliceSupportList", ngap_t_slice_list, struct sen_ngap_plmn_support_item, slices),
    MEXT(struct sen_ngap_plmn_support_item),
};
static T_SEQ(t_plmn_support_item, "PLMNSupportItem", struct sen_ngap_plmn_support_item,
	     plmn_support_m);
T_LIST(ngap_t_plmn_support_list, "PLMNSupportList", t_plmn_support_item, 1, 12);

const struct sen_asn_type ngap_t_amf_name = {.name = "AMFName",
					     .kind = SEN_ASN_PRINTABLE_STRING,
					     .size = sizeof(struct sen_asn_octets),
					     .flags = SEN_ASN_EXT,
					     .min = 1,
					     .max = 150};
const struct sen_asn_type ngap_t_ran_node_name = {.name = "RANNodeName",
						  .kind = SEN_ASN_PRINTABLE_STRING,
						  .size = sizeof(struct sen_asn_octets),
						  .flags = SEN_ASN_EXT,
						  .min = 1,
						  .max = 150};
static const struct sen_asn_type t_visible_name = {.name = "VisibleString (SIZE(1..150,...))",
						   .kind = SEN_ASN_VISIBLE_STRING,
						   .size = sizeof(struct sen_asn_octets),
						   .flags = SEN_ASN_EXT,
						   .min = 1,
						   .max = 150};
static const struct sen_asn_type t_utf8_name = {.name = "UTF8String (SIZE(1..150,...))",
						.kind = SEN_ASN_UTF8_STRING,
						.size = sizeof(struct sen_asn_octets),
						.flags = SEN_ASN_EXT,
						.min = 1,
						.max = 150};
static const struct sen_asn_member ext_ran_name_m[] = {
    MO("rANNodeNameVisibleString", t_visible_name, struct sen_ngap_ext_name, visible),
    MO("rANNodeNameUTF8String", t_utf8_name, struct sen_ngap_ext_name, utf8),
    MEXT(struct sen_ngap_ext_name),
};
T_SEQ(ngap_t_ext_ran_name, "Extended-RANNodeName", struct sen_ngap_ext_name, ext_ran_name_m);
static const struct sen_asn_member ext_amf_name_m[] = {
    MO("aMFNameVisibleString", t_visible_name, struct sen_ngap_ext_name, visible),
    MO("aMFNameUTF8String", t_utf8_name, struct sen_ngap_ext_name, utf8),
    MEXT(struct sen_ngap_ext_name),
};
T_SEQ(ngap_t_ext_amf_name, "Extended-AMFName", struct sen_ngap_ext_name, ext_amf_name_m);

static const struct sen_asn_member served_guami_m[] = {
    M("gUAMI", ngap_t_guami, struct sen_ngap_served_guami_item, guami),
    MO("backupAMFName", ngap_t_amf_name, struct sen_ngap_served_guami_item, backup_amf_name),
    MEXT(struct sen_ngap_served_guami_item),
};
static T_SEQ(t_served_guami_item, "ServedGUAMIItem", struct sen_ngap_served_guami_item,
	     served_guami_m);
T_LIST(ngap_t_served_guami_list, "ServedGUAMIList", t_served_guami_item, 1, 256);

/* ---- UE NGAP IDs, Reset Type (9.3.3.?, 9.3.1.?) -------------------------------------------- */

static const struct sen_asn_member id_pair_m[] = {
    M("aMF-UE-NGAP-ID", ngap_t_amf_ue_ngap_id, struct sen_ngap_ue_ngap_id_pair, amf_ue_ngap_id),
    M("rAN-UE-NGAP-ID", ngap_t_ran_ue_ngap_id, struct sen_ngap_ue_ngap_id_pair, ran_ue_ngap_id),
    MEXT(struct sen_ngap_ue_ngap_id_pair),
};
static T_SEQ(t_id_pair, "UE-NGAP-ID-pair", struct sen_ngap_ue_ngap_id_pair, id_pair_m);
static const struct sen_asn_member ue_ngap_ids_m[] = {
    ALT("uE-NGAP-ID-pair", t_id_pair, struct sen_ngap_ue_ngap_ids),
    ALT("aMF-UE-NGAP-ID", ngap_t_amf_ue_ngap_id, struct sen_ngap_ue_ngap_ids),
    ALTX(struct sen_ngap_ue_ngap_ids),
};
T_CHOICE(ngap_t_ue_ngap_ids, "UE-NGAP-IDs", struct sen_ngap_ue_ngap_ids, ue_ngap_ids_m);

static const struct sen_asn_member ue_assoc_m[] = {
    MO("aMF-UE-NGAP-ID", ngap_t_amf_ue_ngap_id, struct sen_ngap_ue_assoc_item, amf_ue_ngap_id),
    MO("rAN-UE-NGAP-ID", ngap_t_ran_ue_ngap_id, struct sen_ngap_ue_assoc_item, ran_ue_ngap_id),
    MEXT(struct sen_ngap_ue_assoc_item),
};
static T_SEQ(t_ue_assoc_item, "UE-associatedLogicalNG-connectionItem",
	     struct sen_ngap_ue_assoc_item, ue_assoc_m);
T_LIST(ngap_t_ue_assoc_list, "UE-associatedLogicalNG-connectionList", t_ue_assoc_item, 1, 65536);
static T_ENUM(t_reset_all, "ResetAll", 1, 1, 0);
static const struct sen_asn_member reset_type_m[] = {
    ALT("nG-Interface", t_reset_all, struct sen_ngap_reset_type),
    ALT("partOfNG-Interface", ngap_t_ue_assoc_list, struct sen_ngap_reset_type),
    ALTX(struct sen_ngap_reset_type),
};
T_CHOICE(ngap_t_reset_type, "ResetType", struct sen_ngap_reset_type, reset_type_m);

/* ---- smaller IEs of UE-associated messages -------------------------------------------------- */

static const struct sen_asn_member radio_cap_paging_m[] = {
    MO("uERadioCapabilityForPagingOfNR", ngap_t_octets, struct sen_ngap_radio_cap_paging, nr),
    MO("uERadioCapabilityForPagingOfEUTRA", ngap_t_octets, struct sen_ngap_radio_cap_paging,
       eutra),
    MEXT(struct sen_ngap_radio_cap_paging),
};
T_SEQ(ngap_t_ue_radio_cap_paging, "UERadioCapabilityForPaging", struct sen_ngap_radio_cap_paging,
      radio_cap_paging_m);

static const struct sen_asn_member emergency_fallback_m[] = {
    M("emergencyFallbackRequestIndicator", ngap_t_enum1x, struct sen_ngap_emergency_fallback,
      request),
    MO("emergencyServiceTargetCN", ngap_t_enum2x, struct sen_ngap_emergency_fallback, target_cn),
    MEXT(struct sen_ngap_emergency_fallback),
};
T_SEQ(ngap_t_emergency_fallback, "EmergencyFallbackIndicator", struct sen_ngap_emergency_fallback,
      emergency_fallback_m);

static const struct sen_asn_member reroute_m[] = {
    MO("configuredNSSAI", t_configured_nssai, struct sen_ngap_reroute_info, configured_nssai),
    MO("rejectedNSSAIinPLMN", t_rejected_nssai, struct sen_ngap_reroute_info, rejected_in_plmn),
    MO("rejectedNSSAIinTA", t_rejected_nssai, struct sen_ngap_reroute_info, rejected_in_ta),
    MEXT(struct sen_ngap_reroute_info),
};
T_SEQ(ngap_t_reroute_info, "SourceToTarget-AMFInformationReroute", struct sen_ngap_reroute_info,
      reroute_m);

static T_LIST(t_cell_cag_list, "CellCAGList", t_cag_id, 1, 64);
static const struct sen_asn_member npn_access_m[] = {
    ALT("pNI-NPN-Access-Information", t_cell_cag_list, struct sen_ngap_npn_access),
    ALTX(struct sen_ngap_npn_access),
};
T_CHOICE(ngap_t_npn_access, "NPN-AccessInformation", struct sen_ngap_npn_access, npn_access_m);

static const struct sen_asn_member tai_item_m[] = {
    M("tAI", ngap_t_tai, struct sen_ngap_tai_item, tai),
    MEXT(struct sen_ngap_tai_item),
};
static T_SEQ(t_tai_paging_item, "TAIListForPagingItem", struct sen_ngap_tai_item, tai_item_m);
T_LIST(ngap_t_tai_list_paging, "TAIListForPaging", t_tai_paging_item, 1, 16);

static const struct sen_asn_member paging_identity_m[] = {
    ALT("fiveG-S-TMSI", ngap_t_s_tmsi, struct sen_ngap_paging_identity),
    ALTX(struct sen_ngap_paging_identity),
};
T_CHOICE(ngap_t_paging_identity, "UEPagingIdentity", struct sen_ngap_paging_identity,
	 paging_identity_m);
