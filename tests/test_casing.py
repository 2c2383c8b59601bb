"""Sentence case: real-world title-case health-policy titles with their correct APA form, then one
case for each rule of issue 9 (the real failures it quotes among them)."""

from __future__ import annotations

import pytest

from quarterly_cli.casing import is_title_case, sentence_case

# (title as publishers and Crossref print it, APA 7 sentence case)
TITLES = [
    ("The Triple Aim: Care, Health, And Cost", "The triple aim: Care, health, and cost"),
    ("Contribution of Primary Care to Health Systems and Health",
     "Contribution of primary care to health systems and health"),
    ("Uncertainty and the Welfare Economics of Medical Care",
     "Uncertainty and the welfare economics of medical care"),
    ("Diffusion of Innovations in Service Organizations: Systematic Review and Recommendations",
     "Diffusion of innovations in service organizations: Systematic review and recommendations"),
    ("The Epidemiologic Transition: A Theory of the Epidemiology of Population Change",
     "The epidemiologic transition: A theory of the epidemiology of population change"),
    ("Evaluating the Quality of Medical Care", "Evaluating the quality of medical care"),
    ("The Oregon Experiment — Effects of Medicaid on Clinical Outcomes",
     "The Oregon experiment — Effects of Medicaid on clinical outcomes"),
    ("Mortality and Access to Care Among Adults After State Medicaid Expansions",
     "Mortality and access to care among adults after state Medicaid expansions"),
    ("Health Care Spending in the United States and Other High-Income Countries",
     "Health care spending in the United States and other high-income countries"),
    ("Waste in the US Health Care System: Estimated Costs and Potential for Savings",
     "Waste in the US health care system: Estimated costs and potential for savings"),
    ("The Care Span: The Importance Of Transitional Care In Achieving Health Reform",
     "The care span: The importance of transitional care in achieving health reform"),
    ("Does Medicare Save Lives?", "Does Medicare save lives?"),
    ("Early Impacts of the Affordable Care Act on Health Insurance Coverage in Medicaid "
     "Expansion and Non-Expansion States",
     "Early impacts of the Affordable Care Act on health insurance coverage in Medicaid "
     "expansion and non-expansion states"),
    ("Fair Society, Healthy Lives", "Fair society, healthy lives"),
    ("The Inverse Care Law", "The inverse care law"),
    ("Why Are Some People Healthy and Others Not? The Determinants of Health of Populations",
     "Why are some people healthy and others not? The determinants of health of populations"),
    ("Sick Individuals and Sick Populations", "Sick individuals and sick populations"),
    ("Social Conditions as Fundamental Causes of Disease",
     "Social conditions as fundamental causes of disease"),
    ("Accountable Care Organizations: Accountable for What, to Whom, and How",
     "Accountable care organizations: Accountable for what, to whom, and how"),
    ("Crossing the Quality Chasm: A New Health System for the 21st Century",
     "Crossing the quality chasm: A new health system for the 21st century"),
    ("To Err Is Human: Building a Safer Health System",
     "To err is human: Building a safer health system"),
    ("The Implications of Regional Variations in Medicare Spending. Part 1: The Content, "
     "Quality, and Accessibility of Care",
     "The implications of regional variations in Medicare spending. Part 1: The content, "
     "quality, and accessibility of care"),
    ("Paying for Performance in Health Care: Implications for Health System Performance and "
     "Accountability",
     "Paying for performance in health care: Implications for health system performance and "
     "accountability"),
    ("Community Health Workers: What Do We Know About Them?",
     "Community health workers: What do we know about them?"),
    ("The Social Determinants of Health: Coming of Age",
     "The social determinants of health: Coming of age"),
    ("Health Inequalities and Welfare Resources: Continuity and Change in Sweden",
     "Health inequalities and welfare resources: Continuity and change in Sweden"),
    ("Primary Care: Balancing Health Needs, Services, and Technology",
     "Primary care: Balancing health needs, services, and technology"),
    ("The Quality of Health Care Delivered to Adults in the United States",
     "The quality of health care delivered to adults in the United States"),
    ("Variation in Health Care Spending: Target Decision Making, Not Geography",
     "Variation in health care spending: Target decision making, not geography"),
    ("The Anatomy of Health Insurance", "The anatomy of health insurance"),
    ("Health Insurance and the Demand for Medical Care: Evidence from a Randomized Experiment",
     "Health insurance and the demand for medical care: Evidence from a randomized experiment"),
    ("The Oregon Health Insurance Experiment: Evidence from the First Year",
     "The Oregon health insurance experiment: Evidence from the first year"),
    ("A Novel Coronavirus from Patients with Pneumonia in China, 2019",
     "A novel coronavirus from patients with pneumonia in China, 2019"),
    ("Clinical Characteristics of Coronavirus Disease 2019 in China",
     "Clinical characteristics of coronavirus disease 2019 in China"),
    ("Excess Deaths Associated with COVID-19, by Age and Race and Ethnicity — United States, "
     "January 26–October 3, 2020",
     "Excess deaths associated with COVID-19, by age and race and ethnicity — United States, "
     "January 26–October 3, 2020"),
    ("Mobile Health (mHealth) Approaches and Lessons for Increased Performance and Retention of "
     "Community Health Workers in Low- and Middle-Income Countries: A Review",
     "Mobile health (mHealth) approaches and lessons for increased performance and retention of "
     "community health workers in low- and middle-income countries: A review"),
    ("Peer Support in Health Care and Prevention: Cultural, Organizational, and Dissemination "
     "Issues",
     "Peer support in health care and prevention: Cultural, organizational, and dissemination "
     "issues"),
    ("Lay Health Workers in Primary and Community Health Care for Maternal and Child Health and "
     "the Management of Infectious Diseases",
     "Lay health workers in primary and community health care for maternal and child health and "
     "the management of infectious diseases"),
    ("The NHS Long Term Plan", "The NHS long term plan"),
    ("Readmissions, Observation, and the Hospital Readmissions Reduction Program",
     "Readmissions, observation, and the Hospital Readmissions Reduction Program"),
    ("The Challenge of Implementing Peer-Led Interventions in a Professionalized Health Service: "
     "A Case Study of the National Health Trainers Service in England",
     "The challenge of implementing peer-led interventions in a professionalized health service: "
     "A case study of the National Health Trainers Service in England"),
    ("Health Systems in Transition: Germany's Statutory Health Insurance After Reunification",
     "Health systems in transition: Germany's statutory health insurance after reunification"),
]


@pytest.mark.parametrize(("title", "apa"), TITLES, ids=[t[:40] for t, _ in TITLES])
def test_title_case_to_sentence_case(title, apa):
    assert is_title_case(title)
    assert sentence_case(title) == (apa, True)


@pytest.mark.parametrize(("title", "apa"), TITLES, ids=[t[:40] for t, _ in TITLES])
def test_sentence_case_is_left_alone(title, apa):
    assert sentence_case(apa) == (apa, False)


def test_protected_spans_are_kept_and_not_guessed():
    title = ('Lessons From the <span class="nocase">Health Trainers</span> Programme for '
             "Community Services")
    assert sentence_case(title) == (
        'Lessons from the <span class="nocase">Health Trainers</span> programme for community '
        "services", False)


def test_italic_markup_survives():
    title = "Cost-Effectiveness of <i>Helicobacter Pylori</i> Screening in Primary Care"
    assert sentence_case(title)[0] == (
        "Cost-effectiveness of <i>Helicobacter pylori</i> screening in primary care")


def test_keep_case_option(runner):
    from quarterly_cli.cli import main

    result = runner.invoke(main, ["cite", "--keep-case"])
    assert "The Challenge of Implementing Peer-Led Interventions" in result.stdout


def convert(title, **record):
    return sentence_case(title, **record)[0]


# --- The failures quoted in issue 9, each from a real Crossref record -------------------------

@pytest.mark.parametrize(("title", "apa"), [
    ("Influenza A Infections in Infants of Vaccinated and Unvaccinated Mothers",
     "Influenza A infections in infants of vaccinated and unvaccinated mothers"),
    ("Correction: Roscovitine Suppresses CD4+ T Cells and T Cell-Mediated Experimental Uveitis",
     "Correction: Roscovitine suppresses CD4+ T cells and T cell-mediated experimental uveitis"),
    ("A Tribute to Howard E. 'Rocky' Stone", "A tribute to Howard E. 'Rocky' Stone"),
    ("Drift Transport in Al<sub>2</sub>O<sub>3</sub>-Sheathed 3-D Transparent Conducting Oxide "
     "Photoanodes",
     "Drift transport in Al<sub>2</sub>O<sub>3</sub>-sheathed 3-D transparent conducting oxide "
     "photoanodes"),
    ("Synthesis of Fe-MCM-41 Using Iron Ore Tailings as the Silicon and Iron Source",
     "Synthesis of Fe-MCM-41 using iron ore tailings as the silicon and iron source"),
    ("Swine Influenza Vaccine and Guillain-Barré Syndrome: Epidemic or Artifact?",
     "Swine influenza vaccine and Guillain-Barré syndrome: Epidemic or artifact?"),
    ("DL-Learner Structured Machine Learning on Semantic Web Data",
     "DL-Learner structured machine learning on semantic web data"),
    ("<i>Abstraction: Windows</i>: Jeanne Rij-Rousseau",
     "<i>Abstraction: Windows</i>: Jeanne Rij-Rousseau"),
    ("CTA #17. Concrete Corbels Attached to Precast Concrete Columns",
     "CTA #17. Concrete corbels attached to precast concrete columns"),
])
def test_issue_9_regressions(title, apa):
    assert convert(title) == apa


@pytest.mark.parametrize("language", [None, "en", "de"])
def test_german_title_is_left_alone_whatever_the_label(language):
    # Crossref labels some German titles `en`; German capitalises its nouns.
    assert sentence_case("Der Göttingische Ausruff von 1744", language=language) == (
        "Der Göttingische Ausruff von 1744", False)


def test_sentence_case_with_accented_names_is_not_converted():
    title = "Accented names: Émile, Søren, and Zoë"
    assert not is_title_case(title)
    assert sentence_case(title) == (title, False)


# --- When a title counts as title case ------------------------------------------------------

@pytest.mark.parametrize("title", [
    "Effects of Exercise on mood in Older Adults",  # one lower-case significant word is enough
    "Quantitative analysis of morphological features in Huntington's disease",
    "The Relationship Between Serum Vitamin D Level and premenstrual Syndrome",
    "Desain Widget Antarmuka Sistem Informasi Olahraga Lari Marathon untuk Pelatih",
    "La Biblioteca Digital del Patrimonio Histórico: hacia la integración de los recursos",
])
def test_a_lower_case_significant_word_means_not_title_case(title):
    assert not is_title_case(title)
    assert sentence_case(title) == (title, False)


@pytest.mark.parametrize(("title", "apa"), [
    # particles, `v.` in case names, Latin, epithets after a genus, gene symbols, second halves
    ("Nils Rosén von Rosenstein and His Textbook of Pædiatrics",
     "Nils Rosén von Rosenstein and his textbook of pædiatrics"),
    ("What Roe v. Wade Meant for Public Health Practice",
     "What Roe v. Wade meant for public health practice"),
    ("Cell Division Studied In vitro and in Situ", "Cell division studied in vitro and in situ"),
    ("Eradication of Helicobacter pylori Before Gastric Surgery",
     "Eradication of Helicobacter pylori before gastric surgery"),
    ("Virulence of E. coli Strains in Neonatal Sepsis",
     "Virulence of E. coli strains in neonatal sepsis"),
    ("Loss of p53 Function Drives Tumour Growth", "Loss of p53 function drives tumour growth"),
    ("Eight-year Follow-up of Knee Replacement Outcomes",
     "Eight-year follow-up of knee replacement outcomes"),
    ("A Dose of 10 mg Daily Reduces Blood Pressure", "A dose of 10 mg daily reduces blood pressure"),
    ("Habitat Use by <i>Rana temporaria</i> Across Alpine Ponds",
     "Habitat use by <i>Rana temporaria</i> across alpine ponds"),
    ("Outcomes in Patients with non-Hodgkin Lymphoma Treated Early",
     "Outcomes in patients with non-Hodgkin lymphoma treated early"),
    ("Learning through Play in Early Childhood Settings",  # Chicago lowers every preposition
     "Learning through play in early childhood settings"),
])
def test_words_title_case_keeps_lower_are_no_evidence(title, apa):
    assert is_title_case(title)
    assert convert(title) == apa


def test_too_few_capitalised_words_is_not_evidence_enough():
    assert sentence_case("George S. Sharp, MD") == ("George S. Sharp, MD", False)


# --- What a conversion keeps ------------------------------------------------------------------

@pytest.mark.parametrize(("title", "apa"), [
    ("Serum Vitamin D and Bone Loss", "Serum vitamin D and bone loss"),
    ("Results of a Phase I Trial in Children", "Results of a phase I trial in children"),
    ("Modification of Amphotericin B's Therapeutic Index",
     "Modification of amphotericin B's therapeutic index"),
    ("Memories of J. W. Bennett and the Early Fungal Genetics Laboratory",
     "Memories of J. W. Bennett and the early fungal genetics laboratory"),
    ("Nanostructured Al2O3 Coatings for Mg Alloys", "Nanostructured Al2O3 coatings for Mg alloys"),
    ("The Role of mHealth and iPhone Apps in Diabetes Care",
     "The role of mHealth and iPhone apps in diabetes care"),
    ("RNA-Seq and AI-Based Models for HIV-Positive Patients",
     "RNA-Seq and AI-based models for HIV-positive patients"),
    ("Post-Kawasaki Vasculitis in Infants", "Post-Kawasaki vasculitis in infants"),
    ("Genetic Characterization of the Drosophila Birt-Hogg-Dubé Syndrome Gene",
     "Genetic characterization of the Drosophila Birt-Hogg-Dubé syndrome gene"),
    ("Evaluation of Fluxional Brønsted Basic Substituents in Conjugate Additions",
     "Evaluation of fluxional Brønsted basic substituents in conjugate additions"),
])
def test_letters_initials_internal_capitals_and_names_are_kept(title, apa):
    assert convert(title) == apa


@pytest.mark.parametrize(("title", "apa"), [
    ("In the Wake of the Plague: The Black Death and the World It Made",
     "In the wake of the plague: The Black Death and the world it made"),
    ("The Canadian Association of Gastroenterology Strategic Plan: Where Are We in 2014?",
     "The Canadian Association of Gastroenterology strategic plan: Where are we in 2014?"),
    ("More than Target 6.3: Rethinking Sustainable Development Goals in a Scarce World",
     "More than Target 6.3: Rethinking Sustainable Development Goals in a scarce world"),
    ("Cardiac Outcomes in Adults with Down Syndrome", "Cardiac outcomes in adults with Down syndrome"),
    ("Airway Responses in the Guinea Pig Model of Asthma",
     "Airway responses in the guinea pig model of asthma"),
    ("Infection Control After the Americans with Disabilities Act",
     "Infection control after the Americans with Disabilities Act"),
])
def test_lexicon_names_and_phrases(title, apa):
    assert convert(title) == apa


@pytest.mark.parametrize(("title", "apa"), [
    ("The Multicenter Isradipine Diuretic Atherosclerosis Study (MIDAS)",
     "The Multicenter Isradipine Diuretic Atherosclerosis Study (MIDAS)"),
    ("Energy Savings from Building Information Modeling (BIM) in Practice",
     "Energy savings from building information modeling (BIM) in practice"),
    ("Clinical Characteristics of Coronavirus Disease 2019 in China",
     "Clinical characteristics of coronavirus disease 2019 in China"),
    ("Results From Experiment 2 of the Trial", "Results from Experiment 2 of the trial"),
    ("Neonatal Rabbit Hearts Protected Better than by St. Thomas’ Solution",
     "Neonatal rabbit hearts protected better than by St. Thomas’ solution"),
    ("A New Bee of the Genus Emphor", "A new bee of the genus Emphor"),
    ("Phylogeny of the Podoviridae and Other Phages", "Phylogeny of the Podoviridae and other phages"),
    ("Safety Assessment of Zigbir® in Healthy Volunteers",
     "Safety assessment of Zigbir® in healthy volunteers"),
])
def test_names_told_by_their_neighbours(title, apa):
    assert convert(title) == apa


@pytest.mark.parametrize(("title", "apa"), [
    ("Knowledge and Use of Folic Acid by Women of Childbearing Age—United States, 1995",
     "Knowledge and use of folic acid by women of childbearing age—United States, 1995"),
    ("Papules in an Immunosuppressed Child —Diagnosis", "Papules in an immunosuppressed child —Diagnosis"),
    ("Wood Debris in Rivers - One of the Key Factors", "Wood debris in rivers - One of the key factors"),
    ("Adsorption on Activated Carbon. Part 1. Novel Representation of Data",
     "Adsorption on activated carbon. Part 1. Novel representation of data"),
    ("Decomposing the U.S. External Returns Differential",
     "Decomposing the U.S. external returns differential"),
    ("Erratum to “Visual Outcomes of Corneal Transplant Surgery”",
     "Erratum to “Visual outcomes of corneal transplant surgery”"),
])
def test_clause_starts_keep_their_capital(title, apa):
    assert convert(title) == apa


# --- Names from elsewhere in the record -------------------------------------------------------

def test_a_name_from_the_record_is_kept_where_the_title_uses_it_as_a_name():
    title = "Revisiting Kwasniewska's Method for Repairing Hernias"
    assert convert(title) == "Revisiting kwasniewska's method for repairing hernias"
    assert convert(title, names=["Kwasniewska", "Anna"]) == (
        "Revisiting Kwasniewska's method for repairing hernias")


def test_a_record_name_next_to_another_name_is_kept():
    title = "A Conversation With Zorba Quixley About Rural Surgery"
    assert convert(title, names=["Quixley", "Zorba"]) == (
        "A conversation with Zorba Quixley about rural surgery")


def test_a_one_word_journal_does_not_capitalise_the_word_in_the_title():
    title = "Digital Twins for Engineering Asset Management"
    assert convert(title, names=["Engineering", "Elsevier BV"]) == (
        "Digital twins for engineering asset management")


def test_a_container_or_publisher_names_phrases():
    title = "Annual Report of the Zorbian Medical Society for 1921"
    assert convert(title, names=["Journal of the Zorbian Medical Society"]) == (
        "Annual report of the Zorbian Medical Society for 1921")


# --- Language ---------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["de", "fr", "es-ES", "pt"])
def test_a_record_in_another_language_is_left_alone(language):
    title = "Health Care Spending in the United States"
    assert sentence_case(title, language=language) == (title, False)


@pytest.mark.parametrize("language", [None, "", "en", "en-US", "en_GB", "eng"])
def test_english_or_unlabelled_records_are_converted(language):
    assert sentence_case("Health Care Spending in the United States", language=language) == (
        "Health care spending in the United States", True)


@pytest.mark.parametrize("title", [
    "Krebsbekämpfung Durch Prävention Und Früherkennung",
    "Die Röntgendiagnostik Der Wirbelsäule Und Ihre Grundlagen",
    "Les Maladies Infectieuses Dans Les Pays Du Sud",
    "Эпидемиология Сердечно Сосудистых Заболеваний",
])
def test_a_cheap_check_recognises_titles_in_other_languages(title):
    assert sentence_case(title, language="en") == (title, False)


# --- Markup and the guessed flag --------------------------------------------------------------

def test_markup_is_kept_byte_for_byte():
    title = "Antisite Defects in La<sub>0.7</sub>Sr<sub>0.3</sub>MnO<sub>3</sub> <b>Thin Films</b>"
    assert convert(title) == (
        "Antisite defects in La<sub>0.7</sub>Sr<sub>0.3</sub>MnO<sub>3</sub> <b>thin films</b>")


def test_unbalanced_tags_stay_literal_text():
    title = "Stray </i> Tags in Otherwise Plain Titles"
    assert convert(title) == "Stray </i> tags in otherwise plain titles"


def test_a_title_in_title_case_without_protection_is_a_guess():
    assert sentence_case("Sick Individuals and Sick Populations")[1] is True
    assert sentence_case("Sick individuals and sick populations")[1] is False


def test_a_word_partly_protected_changes_only_outside_its_protected_letters():
    nocase = '<span class="nocase">'
    title = f"Strictly Dominant {nocase}M</span>-Matrices and Their Spectral Radius"
    assert sentence_case(title)[0] == (
        f"Strictly dominant {nocase}M</span>-matrices and their spectral radius")
    kept = f"Studies of {nocase}McD</span>onald Farms in Rural Areas"  # a protected letter would change
    assert f"{nocase}McD</span>onald" in sentence_case(kept)[0]


@pytest.mark.parametrize("word", ["0", "7", "12", "007", "2020", "123456789012"])
def test_a_bare_number_reads_as_the_general_path_reads_it(word):
    from quarterly_cli import casing

    casing._word.clear()
    assert casing._word[word] == casing._read_word(word)
