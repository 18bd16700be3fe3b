"""The reviewed skill vocabulary and the task → skill linkers (no encoder needed)."""

import numpy as np
import pytest

from graph.build.skills import (
    LinkCandidate,
    ReorderedLinker,
    SkillTerm,
    choose_links,
    link_candidates,
    load_vocabulary,
    reviewed_skills,
    with_reviews,
    write_vocabulary,
)
from graph.errors import SourceFormatError
from graph.model import Source
from graph.query.confidence import LINK_FEATURES, ConfidenceModel

HEADER = "name_zh,kind,occupations,example_task,status,merge_into,name_en,reason\n"


def test_only_kept_terms_become_skills_and_merged_names_link_to_them(tmp_path):
    path = tmp_path / "skills.csv"
    path.write_text(
        HEADER + "质量检验,task_term,9,,keep,,quality inspection,\n"
        "质量检测,task_term,5,,merge,质量检验,quality testing,synonym\n"
        "塑料制品,task_term,4,,drop,,,a product\n"
        "新词,task_term,2,,proposed,,,\n",
        encoding="utf-8",
    )
    kept = reviewed_skills(load_vocabulary(path))
    assert [(s.name_zh, s.name_en, s.merged) for s in kept] == [("质量检验", "quality inspection", ("质量检测",))]


@pytest.mark.parametrize(
    "row, expected",
    [
        ("数据分析,task_term,3,,keep,,,\n", "English label"),
        ("数据分析,task_term,3,,keep,,数据 analysis,\n", "English label"),
        ("数据分析,task_term,3,,maybe,,data analysis,\n", "status"),
    ],
)
def test_a_row_without_a_usable_review_is_refused_with_its_line(tmp_path, row, expected):
    path = tmp_path / "skills.csv"
    path.write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(SourceFormatError) as e:
        load_vocabulary(path)
    assert e.value.line == 2 and expected in str(e.value)


def test_a_merge_must_name_a_kept_term(tmp_path):
    path = tmp_path / "skills.csv"
    path.write_text(HEADER + "质量检测,task_term,5,,merge,质量检验,quality testing,synonym\n", encoding="utf-8")
    with pytest.raises(SourceFormatError) as e:
        reviewed_skills(load_vocabulary(path))
    assert "质量检验" in str(e.value)


def test_a_new_proposal_keeps_every_review(tmp_path):
    src = Source(file="skills.csv")
    reviewed = [
        SkillTerm("质量检验", "task_term", 9, "", src, "keep", name_en="quality inspection"),
        SkillTerm("旧词", "task_term", 2, "", src, "drop", reason="generic"),
    ]
    proposed = [SkillTerm("质量检验", "task_term", 11, "t1", src), SkillTerm("新词", "task_term", 3, "t2", src)]
    merged = with_reviews(proposed, reviewed)
    assert [(t.name_zh, t.status, t.occupations) for t in merged] == [
        ("质量检验", "keep", 11),
        ("新词", "proposed", 3),
        ("旧词", "drop", 2),
    ]
    path = tmp_path / "skills.csv"
    write_vocabulary(path, merged)
    assert [t.name_en for t in load_vocabulary(path)] == ["quality inspection", "", ""]


def test_reordered_linker_finds_a_compound_written_verb_first_in_one_clause():
    linker = ReorderedLinker({"skill:设备操作": ["设备操作"], "skill:数据分析": ["数据分析"]})
    assert linker.matches("操作化糖、熬糖、结晶等设备，将食糖制成冰糖") == {"skill:设备操作": "设备…操作"}
    # the two words in different clauses, or the name itself (an exact match, found lexically), do not count
    assert linker.matches("检查设备，操作仪表") == {}
    assert linker.matches("进行数据分析") == {}


def test_candidates_and_the_calibrated_choice():
    rng = np.random.default_rng(0)
    vectors = {
        k: v / np.linalg.norm(v)
        for k, v in {"t1": rng.normal(size=8), "t2": rng.normal(size=8), "skill:a": rng.normal(size=8)}.items()
    }
    vectors["t2"] = vectors["skill:a"]  # t2 means exactly skill a
    cands = link_candidates(
        [("t1", "zh", "负责数据分析工作"), ("t2", "zh", "别的任务")], {"skill:a": ["数据分析"]}, vectors
    )
    assert [(c.task_id, c.method) for c in cands] == [("t1", "lexical"), ("t2", "semantic")]
    model = ConfidenceModel(
        features=LINK_FEATURES,
        mean=(0.5, 0.0, 0.5, 0.0),
        std=(0.5, 1.0, 0.2, 1.0),
        coef=(3.0, 0.0, 0.0, 0.0),
        intercept=0.0,
        strong=0.9,
        partial=0.8,
        name="t",
    )
    links = choose_links(cands, model)
    assert [(link.task_id, link.method) for link in links] == [("t1", "lexical")] and 0.8 <= links[0].score <= 1.0
    uncalibrated = choose_links([LinkCandidate("t3", "skill:a", "semantic", 0.3, False, "数据分析")])
    assert uncalibrated == []  # below the rule's threshold without a model


def test_an_english_label_names_one_skill_only():
    from graph.build.dataset import DatasetBuilder
    from graph.build.derive import add_vocabulary
    from graph.build.skills import ReviewedSkill
    from graph.model import Skill

    builder = DatasetBuilder()
    builder.node(Skill(id="skill:应急响应", name_zh="应急响应", name_en="emergency response", kind="work_area"))
    with pytest.raises(SourceFormatError) as e:
        add_vocabulary(
            builder, [ReviewedSkill("应急处理", "Emergency response", (), Source(file="skills.csv", line=7))]
        )
    assert e.value.line == 7 and "应急响应" in str(e.value)


def test_the_reordered_linker_splits_names_as_posseg_does():
    """ReorderedLinker splits skill names with the search tokenizer's jieba rather than posseg's (a second
    saved per process); for every reviewed name the words are the same, so links do not change."""
    import csv
    from pathlib import Path

    from graph.build.skills import _tokenizer
    from graph.query.lexical import _jieba

    with (Path(__file__).resolve().parents[2] / "data" / "skills.csv").open(encoding="utf-8") as fh:
        names = {n for r in csv.DictReader(fh) for n in (r["name_zh"], r["merge_into"]) if n}
    pos, plain = _tokenizer(), _jieba()
    assert names and all([t.word for t in pos.cut(n)] == list(plain.cut(n)) for n in names)
