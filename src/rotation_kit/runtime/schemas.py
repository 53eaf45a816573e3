"""The kit's dataset schemas, and the constants the lessons share with the data.

Each file in data/ has a Schema here (its columns, allowed values, sources): the loaders
validate with them, the generators in `datasets/` write data that fits them, and
data/README.md is generated from them. Constants a lesson needs (the specialties, the
discharge steps...) live here too, so no lesson imports a data generator.
"""

from __future__ import annotations

from .tables import Column, Schema

# -- discharge_log.csv -----------------------------------------------------------------

DISCHARGE_START = "2025-03-03"  # a Monday; 28 days of observation
DISCHARGE_DAYS = 28
CHANGE_DAY = 15  # first day (1-based) of the new process: 2025-03-17
# The four steps between the discharge order and the patient leaving, as (name, from column, to column).
STEPS = (
    ("med_rec", "order_written", "med_rec_done"),
    ("pharmacy", "med_rec_done", "pharmacy_verified"),
    ("transport", "pharmacy_verified", "transport_arrived"),
    ("departure", "transport_arrived", "departed"),
)

DISCHARGE_LOG = Schema(
    file="discharge_log.csv",
    title="Discharge process timestamps on one ward (fictional)",
    description=(
        "One row per discharge observed on a fictional 28-bed medical ward over four weeks "
        f"({DISCHARGE_START} to day {DISCHARGE_DAYS}). Each row holds the times of the five events of the discharge "
        "process: the discharge order, medication reconciliation completed, pharmacist verification of "
        "the discharge medications, transport arriving, and the patient leaving the ward. From day "
        f"{CHANGE_DAY} the ward tried a change: the pharmacist checks planned discharge medications at "
        "the morning huddle, so the pharmacy step should shrink. Module 06 turns the timestamps into step "
        "durations, daily medians and a run chart. All times are invented; typical step lengths were "
        "chosen to look plausible, not taken from a study."
    ),
    columns=(
        Column("discharge_id", "str", "Identifier of the discharge (no patient information)", example="D001"),
        Column("date", "date", "Day of the discharge"),
        Column("order_written", "datetime", "Discharge order signed in the EHR", unit="date and time"),
        Column("med_rec_done", "datetime", "Medication reconciliation completed", unit="date and time"),
        Column("pharmacy_verified", "datetime", "Pharmacist verified the discharge medications", unit="date and time"),
        Column(
            "transport_arrived",
            "datetime",
            "Transport (wheelchair, stretcher or family car) ready at the bedside",
            unit="date and time",
        ),
        Column("departed", "datetime", "Patient left the ward", unit="date and time"),
        Column(
            "observer_note", "str", "What the observer noted that day (empty on most rows)", required=False, default=""
        ),
    ),
    sources=(
        "Time-motion observation: durations recorded as the process runs; report what was observed, by whom "
        "and how (STAMP checklist, Zheng et al., JAMIA 2011).",
        "Run-chart practice: aim for at least 10-15 data points (Perla, Provost & Murray, BMJ Qual Saf 2011); "
        "here 28 daily medians.",
        "Step lengths, the size of the change and the transport outage are invented for teaching.",
    ),
)


# -- faculty.csv -----------------------------------------------------------------------

FACULTY = Schema(
    file="faculty.csv",
    title="Faculty directory (fictional)",
    description=(
        "Faculty listed on the fictional web pages of the programs in `programs.csv` (joined by "
        "`program_id`). Every informatics title a program lists in `programs.csv` (`informatics_faculty`) "
        "belongs to one person here, spelt the many ways real directories spell it ('CMIO', 'Chief Medical "
        "Information Officer (CMIO)', 'Director, Clinical Informatics'...). The other faculty hold "
        "clinical, teaching or quality titles, including look-alikes such as 'Chief Medical Officer' that "
        "are not informatics roles. Module 04 finds potential mentors by title. Names are built from "
        "invented syllables."
    ),
    sources=(
        "Informatics leadership titles to look for (CMIO, Associate CMIO, Director of Clinical Informatics, "
        "Medical Director of EHR or of Clinical Decision Support): the course guide, section 3.",
        "Which programs have such faculty: `programs.csv` (invented).",
    ),
    columns=(
        Column("faculty_id", "str", "Identifier, F0001, F0002..."),
        Column("name", "str", "Fictional name, with the title Dr."),
        Column("title", "str", "Title as the directory writes it."),
        Column("department", "str", "Department or office."),
        Column("program_id", "str", "The program whose directory lists this person (programs.csv)."),
    ),
)


# -- interaction_log.csv ---------------------------------------------------------------

INTERACTION_START = "2025-07-07"  # Monday of week 1
ROLES = ("attending", "senior resident", "intern", "pharmacist", "nurse")
INTERACTION_SETTINGS = ("rounds", "admissions", "night call", "clinic", "family meeting", "teaching conference")
INFORMATICS_TALK = ("not discussed", "interested", "neutral", "dismissive")

INTERACTION_LOG = Schema(
    file="interaction_log.csv",
    title="Who a visiting student worked with, week by week (fictional)",
    description=(
        "One row per contact a fictional visiting student logged during a four-week internal medicine away "
        f"rotation starting {INTERACTION_START}: the date and week, the person (invented names), their role, the setting, "
        "the minutes spent working together, and how the person reacted when informatics or systems "
        "improvement came up. Module 07 uses weeks 1-2 to rank likely letter writers. Everything is invented."
    ),
    columns=(
        Column("date", "date", "Day of the contact"),
        Column("week", "int", "Week of the rotation", minimum=1, maximum=4),
        Column("person", "str", "Who (invented name)"),
        Column("role", "str", "Their role on the team", allowed=ROLES),
        Column("setting", "str", "Where you worked together", allowed=INTERACTION_SETTINGS),
        Column("minutes", "int", "Time spent working together", minimum=1, unit="minutes"),
        Column(
            "informatics_talk",
            "str",
            "Their reaction when informatics or systems improvement came up",
            allowed=INFORMATICS_TALK,
        ),
    ),
    sources=(
        "The guide's three questions for week 2: who works with you most, who has seen you in different "
        "settings, who responds to informatics talk. Names, times and reactions are invented.",
    ),
)


# -- med_list.csv ----------------------------------------------------------------------

MED_LIST = Schema(
    file="med_list.csv",
    title="A messy medication list (fictional patient, bed 12)",
    description=(
        "Seventeen entries for one fictional patient, copied from the admission note, the pharmacy record, the "
        "patient's own report and an outside discharge summary. The same medicine appears under different "
        "names (international and U.S. generic names, salt names), in different case, with doses in mg, g or "
        "mcg and frequencies written many ways. Two medicines are listed with conflicting doses or frequencies, and "
        "three entries use error-prone abbreviations (qd, OD, qhs) that must be flagged, never converted. "
        "Module 05 tidies the list into a draft for the resident to check. Not clinical advice."
    ),
    sources=(
        "Offering to help clean up medication lists: the course guide, section 4.",
        "Medicines, doses and conflicts: invented for teaching.",
        "QD: The Joint Commission, official Do Not Use list (accreditation standard IM.02.02.01; Joint Commission standards FAQ, accessed 2026).",
        "OD, qhs (and QD): ISMP List of Error-Prone Abbreviations, Symbols, and Dose Designations (2021).",
    ),
    columns=(
        Column("entry_id", "str", "Identifier, M01 to M17."),
        Column("drug", "str", "Medicine name as written in the source."),
        Column("dose", "str", "Dose as written: a number and mg, g or mcg.", example="500 mg"),
        Column("frequency", "str", "How often, as written (BID, twice daily, qhs, PRN...)."),
        Column("source", "str", "Where the entry came from."),
    ),
)


# -- problem_list.csv ------------------------------------------------------------------

PROBLEM_LIST = Schema(
    file="problem_list.csv",
    title="A messy problem list (fictional patient, bed 12)",
    description=(
        "Fourteen entries on one fictional patient's problem list, added by different clinicians over several "
        "years: the same problem written out and abbreviated (T2DM, HTN, CKD 3a, AF, UTI), with and without "
        "hyphens, and problems that were later resolved. Module 05 keeps the latest entry of each problem and "
        "separates active from resolved ones, as a draft for the resident to check. Not clinical advice."
    ),
    sources=(
        "Keeping problem lists accurate: the course guide, section 4.",
        "Problems and dates: invented for teaching.",
    ),
    columns=(
        Column("entry_id", "str", "Identifier, P01 to P14."),
        Column("problem", "str", "The problem as written."),
        Column("status", "str", "Status given in that entry.", allowed=("active", "resolved")),
        Column("noted_on", "date", "Date of the entry."),
    ),
)


# -- programs.csv ----------------------------------------------------------------------

SPECIALTIES = (
    "Internal Medicine",
    "Family Medicine",
    "Pediatrics",
    "Psychiatry",
    "Pathology",
    "Emergency Medicine",
)
IMG_STATES = ("NY", "NJ", "MI", "IL", "TX", "FL")
PROGRAM_SETTINGS = ("academic", "community_affiliated", "community")
VISA = ("none", "J-1", "J-1 and H-1B")
EHR_VENDORS = ("Epic", "Cerner", "Meditech", "Other")

PROGRAMS = Schema(
    file="programs.csv",
    title="Residency programs (fictional)",
    description=(
        "One row per fictional residency program: where it is, what kind of place it is, "
        "how open it is to IMGs, how visible clinical informatics is there, and what a "
        "visiting rotation costs. The kit's scoring functions (module 03) read this file; "
        "a learner's own list needs only the required columns, the rest default to "
        "'unknown / no'."
    ),
    sources=(
        "IMG share by specialty: Intealth 2024 (IM 43%, Pathology 37.4%, FM 31.8%); "
        "Pediatrics ~24%, Psychiatry ~16%, EM ~15% are 2024 estimates of positions offered (uncertain).",
        "States with large IMG representation (NY, NJ, MI, IL, TX, FL): named by the course guide; "
        "weighted more heavily here.",
        "Host fees: some hosts charge students from non-LCME/COCA schools thousands of dollars per "
        "elective; EMRA quotes $5,000 as one example (the upper bound here).",
        "Rotation length usually 4 weeks, 2-4 at some hosts (AAMC VSLO FAQ).",
    ),
    columns=(
        Column(
            "program_id",
            "str",
            "Stable identifier, e.g. P001.",
            required=False,
            default="",
            synonyms=("id", "program code"),
        ),
        Column(
            "program_name",
            "str",
            "Fictional program name (institution + specialty).",
            synonyms=("program", "programme", "programme name", "residency program"),
        ),
        Column("specialty", "str", "Residency specialty.", allowed=SPECIALTIES, synonyms=("speciality",)),
        Column(
            "state",
            "state",
            "U.S. state or territory, as its two-letter code.",
            example="NY",
            synonyms=("state code", "us state", "state territory"),
        ),
        Column("setting", "str", "Kind of institution.", required=False, allowed=PROGRAM_SETTINGS, default="community"),
        Column(
            "prestige_tier",
            "int",
            "1 = top-tier brand name, 2 = solid mid-tier, 3 = community.",
            required=False,
            minimum=1,
            maximum=3,
            default=3,
        ),
        Column(
            "positions",
            "int",
            "First-year positions per year.",
            required=False,
            minimum=1,
            maximum=80,
            default=0,
            unit="positions",
        ),
        Column(
            "img_share_pct",
            "float",
            "Share of current residents who are IMGs.",
            required=False,
            minimum=0,
            maximum=100,
            unit="percent",
            default=0.0,
            synonyms=("img share", "img percent", "img pct", "imgs pct", "percent img"),
        ),
        Column(
            "visa_sponsorship",
            "str",
            "Visas the program sponsors for residents.",
            required=False,
            allowed=VISA,
            default="none",
            synonyms=("visa", "visas", "visa sponsored"),
        ),
        Column(
            "accepts_visiting_imgs",
            "bool",
            "Takes visiting students from international schools.",
            required=False,
            default=False,
            synonyms=("accepts imgs", "visiting imgs", "accepts visiting img"),
        ),
        Column(
            "requires_usce",
            "bool",
            "Asks applicants for prior U.S. clinical experience.",
            required=False,
            default=False,
        ),
        Column(
            "ci_fellowship",
            "bool",
            "Hosts an ACGME-accredited Clinical Informatics fellowship.",
            required=False,
            default=False,
        ),
        Column(
            "health_it_track",
            "bool",
            "Has a formal health IT or informatics track for residents.",
            required=False,
            default=False,
        ),
        Column(
            "informatics_on_webpage",
            "bool",
            "The residency web page describes informatics, data analytics or health IT training.",
            required=False,
            default=False,
        ),
        Column(
            "informatics_faculty",
            "list",
            "Informatics leadership titles held by faculty (CMIO, Associate CMIO, ...), semicolon-separated.",
            required=False,
            default=(),
        ),
        Column("ehr_vendor", "str", "Main EHR system.", required=False, allowed=EHR_VENDORS, default="Other"),
        Column("ehr_optimization", "bool", "Publicly mentions EHR optimisation work.", required=False, default=False),
        Column(
            "digital_health", "bool", "Publicly mentions digital health initiatives.", required=False, default=False
        ),
        Column("telemedicine", "bool", "Publicly mentions telemedicine initiatives.", required=False, default=False),
        Column(
            "application_route",
            "str",
            "How visiting students apply.",
            required=False,
            allowed=("VSLO", "direct"),
            default="direct",
        ),
        Column(
            "host_fee_usd",
            "float",
            "Fee the host charges a visiting IMG student per rotation.",
            required=False,
            minimum=0,
            maximum=5000,
            unit="USD",
            default=0.0,
            synonyms=("host fee", "fee"),
        ),
        Column(
            "housing_per_week_usd",
            "float",
            "Typical short-let housing near the hospital.",
            required=False,
            minimum=0,
            maximum=2000,
            unit="USD per week",
            default=0.0,
            synonyms=("housing per week", "housing", "weekly housing"),
        ),
        Column(
            "rotation_weeks",
            "int",
            "Length of a visiting rotation.",
            required=False,
            minimum=1,
            maximum=8,
            unit="weeks",
            default=4,
            synonyms=("weeks", "rotation length"),
        ),
    ),
)


# -- rotation_catalogue.csv ------------------------------------------------------------

OTHER_DEPARTMENTS = ("General Surgery", "Obstetrics and Gynecology", "Multidisciplinary")
ROTATION_SETTINGS = ("inpatient", "icu", "outpatient", "emergency", "laboratory", "non_clinical")

ROTATION_CATALOGUE = Schema(
    file="rotation_catalogue.csv",
    title="Visiting rotation catalogue (fictional)",
    description=(
        "One row per visiting rotation offered by a fictional host. `clinical_share` is the share of the "
        "rotation spent in clinical service (patient care, or diagnostic sign-out in Pathology); "
        "`informatics_exposure` says whether the rotation itself brings you into contact with informatics "
        "work (a CMIO-led teaching session, a dashboard or registry the team uses, a QI project you can "
        "join). Module 02 sorts these rotations into kinds and orders them."
    ),
    sources=(
        "Kinds of rotation (core clinical, clinical with informatics in the background, informatics/QI "
        "electives such as QI and patient safety, CDS and data analytics, EHR optimisation, population "
        "health): the course guide's section 2, reworded.",
        "Length usually 4 weeks, 2-4 at some hosts (AAMC VSLO FAQ).",
        "Hosts, titles and descriptions are invented.",
    ),
    columns=(
        Column("rotation_id", "str", "Identifier, R01, R02, ..."),
        Column("title", "str", "Name of the rotation."),
        Column("host", "str", "Fictional host institution."),
        Column("specialty", "str", "Department that runs the rotation.", allowed=SPECIALTIES + OTHER_DEPARTMENTS),
        Column("setting", "str", "Where the time is spent.", allowed=ROTATION_SETTINGS),
        Column(
            "clinical_share",
            "float",
            "Share of the rotation spent in clinical service.",
            minimum=0,
            maximum=1,
            unit="fraction",
        ),
        Column("informatics_exposure", "bool", "The rotation itself includes contact with informatics work."),
        Column("ci_fellowship_at_host", "bool", "The host runs a Clinical Informatics fellowship."),
        Column("weeks", "int", "Length of the rotation.", minimum=1, maximum=8, unit="weeks"),
        Column("description", "str", "One line about what you would do."),
    ),
)


# -- rotation_costs.csv ----------------------------------------------------------------

CHARGED = ("per_application", "per_rotation", "per_week", "per_plan")

ROTATION_COSTS = Schema(
    file="rotation_costs.csv",
    title="Cost items for an away-rotation plan",
    description=(
        "Costs that come on top of each host's own fee and housing (those are in `programs.csv`: "
        "`host_fee_usd`, `housing_per_week_usd`, `rotation_weeks`). `charged` says how often an item is "
        "paid: for each application, each rotation, each week, or once for the whole plan (rotations "
        "done back to back in one stay). Rows marked `uncertain` are estimates or invented planning "
        "figures: replace them with your own quotes."
    ),
    sources=(
        "VSLO: $15 per elective applied to (AAMC VSLO FAQ); hosts set their own fees on top.",
        "Visa: visiting foreign medical students rotate as business visitors (B-1, or the Visa Waiver "
        "Program), not tourists (Vanderbilt ISSS); fee about $185 (uncertain).",
        "Published totals for comparison (not IMG-specific): mean $958 per rotation in a 2015 survey "
        "(Winterton et al., BMC Med Educ 2016); about $2,000 per rotation (Ayala & Ukeje, Acad Med 2020).",
        "Flight, moving between hosts and local transport: invented planning figures.",
    ),
    columns=(
        Column("item", "str", "Name of the cost item."),
        Column("amount_usd", "float", "What the item costs each time it is charged.", minimum=0, unit="USD"),
        Column("charged", "str", "How often the item is paid.", allowed=CHARGED),
        Column("source", "str", "Where the amount comes from (or 'invented planning figure')."),
        Column("uncertain", "bool", "True for estimates and invented figures."),
    ),
)


# -- rotation_records.csv --------------------------------------------------------------

RECORD_KINDS = ("core_clinical", "clinical_informatics", "informatics_elective")
INVOLVEMENT = ("observed", "discussed", "collected_data", "drafted_proposal", "tested_change", "led")

ROTATION_RECORDS = Schema(
    file="rotation_records.csv",
    title="Away-rotation records (fictional)",
    description=(
        "One row per completed away rotation of two fictional learners: `sample` (the kit's sample "
        "learner, Internal Medicine) and `peer` (a Family Medicine applicant used in worked examples). "
        "Each row says what the learner did clinically, what informatics work they did and how far "
        "they really took it (`involvement`), and who they worked with. Module 08 turns the rows "
        "into ERAS Experiences entries, a follow-up calendar and interview talking points."
    ),
    sources=(
        "Rotation length of about 4 weeks: AAMC VSLO FAQ (usually 4 weeks, 2-4 at some hosts).",
        "The involvement ladder and its honest labels follow the course guide's framings (workflow "
        "observation, data-informed observation, micro quality-improvement work); the rungs are the kit's.",
        "Hosts, people, patients and events are invented; hours per week are invented.",
    ),
    columns=(
        Column("record_id", "str", "Stable identifier, e.g. R01."),
        Column("learner", "str", "Whose record this is.", allowed=("sample", "peer")),
        Column("host", "str", "Fictional host institution."),
        Column("state", "state", "U.S. state or territory of the host, as its two-letter code.", example="NJ"),
        Column("service", "str", "Service or elective, as it would appear in a title."),
        Column("kind", "str", "Kind of rotation (module 02's three kinds).", allowed=RECORD_KINDS),
        Column("start_date", "date", "First day of the rotation."),
        Column("end_date", "date", "Last day of the rotation (included)."),
        Column(
            "hours_per_week",
            "int",
            "Typical hours per week on the rotation.",
            minimum=1,
            maximum=90,
            unit="hours per week",
        ),
        Column("ehr_system", "str", "EHR used at the host.", allowed=EHR_VENDORS),
        Column("contacts", "list", "People to thank and keep updated (name and role), semicolon-separated."),
        Column("clinical_summary", "str", "One sentence on the clinical work."),
        Column("informatics_topic", "str", "What the informatics work was about (a noun phrase)."),
        Column(
            "involvement", "str", "How far the learner really took it, from watching to leading.", allowed=INVOLVEMENT
        ),
        Column(
            "ehr_lesson",
            "str",
            "What the learner learned about workflows or the EHR (completes the sentence 'I learned ...').",
        ),
        Column("example_case", "str", "One concrete, de-identified example from the rotation."),
    ),
)


# -- specialty_informatics.csv ---------------------------------------------------------

SPECIALTY_INFORMATICS = Schema(
    file="specialty_informatics.csv",
    title="Specialties and their informatics focus",
    description=(
        "One row per specialty and year: the kind of informatics work the specialty leads into "
        "(the course guide's map, in the kit's words) and the share of first-year positions that went "
        "to IMGs. Module 00 looks specialties up in it. The percentages are real published figures, "
        "not invented: check `share_basis` (filled or offered) and `uncertain` before comparing rows."
    ),
    sources=(
        "Internal Medicine 43%, Pathology 37.4%, Family Medicine 31.8% of first-year positions filled by "
        "IMGs in the 2024 Match (Intealth, 2024).",
        "Internal Medicine categorical positions 2025: 44.6% filled by IMGs (ACP press release, March 2025).",
        "Pediatrics ~24%, Psychiatry ~16%, Emergency Medicine ~15%: 2024 estimates computed from a secondary "
        "source, share of positions offered rather than filled (uncertain).",
        "Informatics focus per specialty: the course guide's section 3, step 1, reworded.",
    ),
    columns=(
        Column("specialty", "str", "Core clinical specialty.", allowed=SPECIALTIES),
        Column("informatics_focus", "str", "The informatics work this specialty leads into most naturally."),
        Column(
            "img_share_pct",
            "float",
            "Share of first-year positions that went to IMGs.",
            minimum=0,
            maximum=100,
            unit="percent",
        ),
        Column(
            "share_basis",
            "str",
            "Whether the share is of positions filled or of positions offered.",
            allowed=("filled", "offered"),
        ),
        Column("year", "int", "Match year the share refers to.", minimum=2000, maximum=2100),
        Column("source", "str", "Where the share comes from."),
        Column("uncertain", "bool", "True when the share is an estimate to treat with care."),
    ),
)


# -- stage_statements.csv --------------------------------------------------------------

STAGE_STATEMENTS = Schema(
    file="stage_statements.csv",
    title="Statements about the two-stage path",
    description=(
        "Twelve short statements written for the course. Each describes a step on the way to a career "
        "that mixes medicine and informatics; module 00 asks learners to say whether it belongs to "
        "Stage 1 (matching into a U.S. residency) or to one of the three Stage-2 routes (fellowship, "
        "hybrid career, roles in health systems or companies). The answers are not in this file."
    ),
    sources=(
        "The two stages and three routes: the course guide's section 1, reworded.",
        "Clinical Informatics fellowships: 24 months, open to physicians from any primary specialty; board "
        "certification through ABPM or ABPath (facts.md).",
        "S01: ECFMG must confirm to the NRMP by the rank order list deadline that an IMG has met the exam "
        "requirements for ECFMG certification (NRMP, 'What requirements for ECFMG certification must I "
        "complete...', help page, accessed 2026); the ECFMG certificate itself is needed before starting an "
        "ACGME-accredited program (ECFMG 2023 Information Booklet).",
    ),
    columns=(
        Column("statement_id", "str", "Identifier, S01 to S12."),
        Column("statement", "str", "The statement to sort."),
    ),
)


# -- training_timeline.csv -------------------------------------------------------------

TIMELINE_KINDS = ("clinical", "informatics", "other")

TRAINING_TIMELINE = Schema(
    file="training_timeline.csv",
    title="Training timelines (fictional)",
    description=(
        "What two fictional learners (`sample` and `peer`, as in rotation_records.csv) did from medical "
        "school onwards. `clinical` periods are training or clinical work; `informatics` periods are "
        "coursework, QI or data-analysis work; `other` is anything else (exam preparation, family leave). "
        "Periods may overlap, nest or touch; an empty end date means the activity is still going on. "
        "Module 08 finds the gaps between clinical periods and how much informatics work covers them."
    ),
    sources=(
        "The kinds of informatics work (coursework in health informatics, data science or public health; "
        "QI projects or chart reviews; data analysis) follow the course guide; dates are invented.",
    ),
    columns=(
        Column("learner", "str", "Whose timeline this is.", allowed=("sample", "peer")),
        Column("activity", "str", "What the period was."),
        Column("kind", "str", "clinical, informatics or other.", allowed=TIMELINE_KINDS),
        Column("start", "date", "First day of the period."),
        Column("end", "date", "Last day of the period (included); empty while it is still going on.", required=False),
    ),
)


# -- vocabulary.csv --------------------------------------------------------------------

VOCABULARY = Schema(
    file="vocabulary.csv",
    title="Informatics vocabulary for the rotation",
    description=(
        "Nine terms a visiting student meets on an informatics-minded ward, each with a plain-language "
        "meaning written for the kit, a fictional example of where you might meet it on the rotation, "
        "and where the meaning comes from. Module 04 turns the meanings into a matching quiz. A working "
        "understanding is the goal, not the detail of the standards."
    ),
    sources=(
        "CDS and order sets: Office of the National Coordinator for Health IT (ONC), 'Clinical Decision Support' "
        "(HealthIT.gov).",
        "Interoperability: 21st Century Cures Act (2016), 42 U.S.C. 300jj(9).",
        "HL7 v2 and FHIR: HL7 International, the Version 2 product suite and the FHIR specification (hl7.org).",
        "Care pathway, data governance, data warehouse and quality metric: the kit's own working definitions, "
        "not quoted from a source.",
    ),
    columns=(
        Column("term", "str", "The term as the quiz names it."),
        Column("full_name", "str", "The term written out."),
        Column("meaning", "str", "What it means, in the kit's words (it avoids repeating the term itself)."),
        Column("on_the_ward", "str", "Where you might meet it on a rotation (a fictional example)."),
        Column("source", "str", "Where the meaning comes from, or 'kit working definition'."),
    ),
)


# -- ward_questions.csv ----------------------------------------------------------------

WARD_QUESTIONS = Schema(
    file="ward_questions.csv",
    title="Question bank: when would you ask this?",
    description=(
        "Ten questions a visiting student with an interest in informatics might ask on a ward. Module 05 asks "
        "learners whether each fits rounds (short, about the patient in front of you), a calm moment (about "
        "the ward as a system), or should be skipped (it puts informatics ahead of patient care). The answers "
        "are not in this file; the kit keeps them in `rotation_kit.lessons.during_rotation`."
    ),
    sources=(
        "Questions 1, 2, 5 and 6 rephrase the example questions of the course guide, section 4 "
        "(clarifying questions while using the EHR; questions for calmer moments).",
        "The other questions were written for the kit.",
    ),
    columns=(
        Column("question_id", "str", "Identifier, Q01 to Q10."),
        Column("question", "str", "The question as the student would ask it."),
    ),
)


# -- ward_tasks.csv --------------------------------------------------------------------

TASK_KINDS = ("patient_care", "team", "learning", "informatics")

WARD_TASKS = Schema(
    file="ward_tasks.csv",
    title="A ward day's task list (fictional)",
    description=(
        "Thirteen things a visiting student on a fictional internal medicine ward wants to do in one day, "
        "with how long each takes and the earliest time it can start. Module 05 plans the day into the free "
        "windows of `ward_windows.csv`: patient care first, then team duties, then reading, and informatics "
        "only in calm windows. Durations are invented but plausible."
    ),
    sources=(
        "Priorities (clinical work first, informatics questions in calmer moments, small EHR tasks such as "
        "medication lists offered as help): the course guide, section 4, reworded.",
        "Durations and times: invented for teaching.",
    ),
    columns=(
        Column("task_id", "str", "Identifier, T01 to T13."),
        Column("task", "str", "What the student will do."),
        Column("kind", "str", "Whose need the task serves first.", allowed=TASK_KINDS),
        Column("minutes", "int", "How long it takes.", minimum=1, maximum=240, unit="minutes"),
        Column("not_before", "str", "Earliest start, 24-hour HH:MM (e.g. notes only after rounds).", example="10:00"),
    ),
)


# -- ward_windows.csv ------------------------------------------------------------------

WARD_WINDOWS = Schema(
    file="ward_windows.csv",
    title="Free windows in a ward day (fictional)",
    description=(
        "The gaps between the fixed events of a fictional ward day (rounds 07:30-10:00, noon conference "
        "12:00-12:30, sign-out 16:00-16:30) in which a visiting student can do their own tasks. `calm` marks "
        "windows where nobody is usually waiting on you: the only ones module 05 uses for informatics "
        "questions. Times are invented."
    ),
    sources=("Ward schedule: invented for teaching; real schedules vary by site and service.",),
    columns=(
        Column("window_id", "str", "Short name of the window."),
        Column("label", "str", "What the window is."),
        Column("start", "str", "Start, 24-hour HH:MM.", example="06:30"),
        Column("minutes", "int", "Length.", minimum=1, maximum=300, unit="minutes"),
        Column("calm", "bool", "True when the window is usually quiet enough for informatics questions."),
    ),
)


#: Every dataset's schema.
ALL = (
    DISCHARGE_LOG,
    FACULTY,
    INTERACTION_LOG,
    MED_LIST,
    PROBLEM_LIST,
    PROGRAMS,
    ROTATION_CATALOGUE,
    ROTATION_COSTS,
    ROTATION_RECORDS,
    SPECIALTY_INFORMATICS,
    STAGE_STATEMENTS,
    TRAINING_TIMELINE,
    VOCABULARY,
    WARD_QUESTIONS,
    WARD_TASKS,
    WARD_WINDOWS,
)
