"""Sentence case on real-world title-case health-policy titles, with their correct APA form."""

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
