"""What a search hit's score means: a calibrated confidence and a word a user reads.

A hit's raw score (cosine + lexical + title + name, graph/query/fusion.py) ranks well but means little:
e5 puts junk at a cosine of about 0.8 to every occupation, as close as many real matches. The
confidence of an occupation hit is a logistic model over its score parts, fitted on labelled queries
(`python -m bench.eval_confidence --fit`: names, paraphrases, tasks, English and everyday titles and
a junk set, on their tuning halves): the share of hits at that confidence a person labelled right.
The same module holds the course → task model of curriculum coverage (bench/eval_curriculum.py). Below `partial` a hit is "weak", and a search whose best occupation is weak has no
good match. The model is a JSON file per encoder in data/calibration/, read by both backends alike.

>>> m = ConfidenceModel(features=("cosine",), mean=(0.8,), std=(0.1,), coef=(2.0,), intercept=0.0,
...                     strong=0.6, partial=0.2, name="t")
>>> round(m.probability({"cosine": 0.8}), 3), m.band(0.5), m.band(0.7), m.band(0.1)
(0.5, 'partial', 'strong', 'weak')
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graph.errors import CalibrationMismatch
from graph.query.fusion import _CJK, title_likeness
from graph.query.results import Band
from graph.resources import resource_dir

CALIBRATION_DIR = resource_dir("data") / "calibration"  # the checkout's or the wheel's (graph/resources.py)
# the score parts of an occupation hit the model reads (graph.query.fusion.score writes them), plus how
# title-like the query is, how far the hit is behind the query's best, and whether the query is
# English (e5's English cosines to the mostly Chinese graph sit lower: junk and real matches alike).
# Measured on the tuning halves (bench/reports/confidence.md): without the English terms junk and
# right answers overlapped more (junk rejected 0.92 vs 0.94 at the same share kept); the best task's
# cosine added nothing and costs Neo4j a round trip, so it is left out.
FEATURES = ("cosine", "lift", "lexical", "title", "name", "likeness", "behind", "english", "cosine_en", "bm25_log")
# course → task: the course's cosine to the task and how far that is behind the course's nearest task in
# the whole graph (a cooking course sits at 0.8 to every security task, but 0.93 to a cooking one); the
# same two for the course's best topic (a course lists several: one vector for the whole let a
# penetration-testing course miss "write the test report", 0.05); and whether the course is English.
# Fitted by bench/eval_curriculum.py; with the topics "covered" went from precision 0.83 / recall 0.64 to
# 0.89 / 0.80 (leave-one-course-out, adapted encoder).
COURSE_FEATURES = ("cosine", "behind", "topic_cosine", "topic_behind", "english")
_TOPIC_SPLIT = re.compile(r"[；;。，,、\n]+")
# task → skill: found by name in the task (lexical), by its two words apart (reordered) or only by meaning,
# the centred cosine between the two
# (graph.build.derive.centred), and whether the task is English (its cosines to the Chinese skill names run lower).
# Fitted by bench/eval_skill_links.py on the tuning labels of data/skill_link_labels.csv.
LINK_FEATURES = ("lexical", "reordered", "cosine", "english")
# occupation → title direction: how many of its Chinese tasks relate to the direction and what share of its
# tasks that is, the best task's cosine to the work area and to the direction, and the occupation's
# description's cosine to the direction (graph.build.derive.DirectionCandidate). Fitted by bench/eval_directions.py.
DIRECTION_FEATURES = ("tasks", "share", "area_max", "direction_max", "description")
# occupation → occupation: the parts of the similarity blend (graph.query.scoring.blend_similarity): profile
# cosine above its floor, shared skills, nearness in the classification, shared title directions.
# Fitted by bench/eval_similar.py on judged pairs.
SIMILAR_FEATURES = ("embedding", "skills", "category", "directions")
# a target task the source already does (the skill gap): the cosine to the source's closest task. Fitted
# by bench/eval_gap.py on judged (closest source task, target task) pairs.
KNOWN_FEATURES = ("cosine",)
# query → task: a task hit's score parts (graph.query.fusion), how far it is behind the best task hit, and
# whether the query is English. Fitted by bench/eval_search_tasks.py on judged query → task results.
TASK_FEATURES = ("cosine", "lift", "lexical", "bm25_log", "behind", "english")
# a sentence of a free text → a task: the cosine, how far it is behind the sentence's nearest task, how far the
# sentence's nearest is above its tenth (a duty has a clear nearest task; "福利：五险一金" or "任职要求：" sit
# near many at once), the share of the sentence's words the task uses, whether the sentence is English, and the
# support of the rest of the text: the share of its other sentences with a task of the same occupation among
# their nearest (a welder's ad has many welding lines; a lone line near a nurse's task is likely not one).
# Fitted by bench/eval_analyze.py on judged pairs. The curriculum's course → task model, tried first, put
# "任职要求：" at 0.81 to a task of 事业单位负责人 (courses are never boilerplate). On the 2,253 tuning pairs
# (7.7 % judged right; 47 % of those with a task of an accepted occupation) the support took grouped
# cross-validated AUC from 0.82 to 0.89: the sentence alone cannot tell a welding line from a sheet-metal one.
SENTENCE_FEATURES = ("cosine", "behind", "spread", "overlap", "english", "support")
# free text → occupation (graph.query.analysis): the evidence its sentences' task pairs add up to (as independent
# chances, and summed), its best pair, the title line's coding, its share of the best candidate's mass, and
# whether the text is framed as a job ad, CV or syllabus. Fitted by bench/eval_analyze.py on labelled texts.
TEXT_OCCUPATION_FEATURES = ("evidence", "mass", "best", "title", "share", "framed")
KIND_FEATURES = {
    "text_occupation": TEXT_OCCUPATION_FEATURES,
    "sentence_task": SENTENCE_FEATURES,
    "occupation_similar": SIMILAR_FEATURES,
    "search_occupation": FEATURES,
    "course_task": COURSE_FEATURES,
    "task_skill": LINK_FEATURES,
    "occupation_direction": DIRECTION_FEATURES,
    "search_task": TASK_FEATURES,
    "task_known": KNOWN_FEATURES,
}
BANDS = ("strong", "partial", "weak")


def wordless(text: str) -> bool:
    """No letter, ideograph or digit: emoji, kaomoji and punctuation name no work, whatever the encoder
    makes of them (e5 put 🍜 closest to 镗工, the boring-machine operator).

    >>> wordless("🍜🍜🍜"), wordless("?!…"), wordless("(ツ)"), wordless("焊工"), wordless("4-04-04-04")
    (True, True, False, False, False)
    """
    return not any(ch.isalnum() for ch in text)


def model_file(kind: str, encoder_id: str) -> Path:
    """The fit of one kind of match for an encoder (cosines differ between the base and the adapted
    encoder, so each has its own file)."""
    return CALIBRATION_DIR / (f"{kind}.json" if "+zhiye-" in encoder_id else f"{kind}_base.json")


def course_topics(title: str, description: str) -> list[str]:
    """The topics a course lists, each with the course's title for context (a bare "图像" means little):
    its description split at list and sentence separators; none when it lists one thing.

    >>> course_topics("数据标注", "图像标注；文本标注")
    ['数据标注：图像标注', '数据标注：文本标注']
    >>> course_topics("Circuits", "Ohm's law")
    []
    """
    parts = [p.strip() for p in _TOPIC_SPLIT.split(description) if len(p.strip()) >= 2]
    return [f"{title}：{p}" for p in parts] if len(parts) > 1 else []


def course_task_features(
    cosine: float, course_best: float, topics: list[tuple[float, float]], course: str
) -> dict[str, float]:
    """The course → task model's inputs: the cosine and the gap to the course's nearest task anywhere,
    the same for its closest topic ((cosine, that topic's nearest task anywhere) pairs; the whole course
    when it lists one thing), and whether the course text is English."""
    t_cos, t_best = max(topics, default=(cosine, course_best))
    return {
        "cosine": cosine,
        "behind": course_best - cosine,
        "topic_cosine": t_cos,
        "topic_behind": t_best - t_cos,
        "english": 0.0 if _CJK.search(course) else 1.0,
    }


def sentence_task_features(
    cosine: float,
    nearest: list[float],
    sentence_words: set[str],
    task_words: set[str] | frozenset[str],
    sentence: str,
    support: float,
) -> dict[str, float]:
    """The sentence → task model's inputs; `nearest`: the sentence's cosines to its nearest tasks, best first;
    `support`: the share of the text's other sentences with a task of the same occupation among their nearest.

    >>> f = sentence_task_features(0.9, [0.92, 0.9, 0.85], {"渗透", "测试", "负责"}, {"渗透", "测试", "工具"}, "负责渗透测试", 0.5)
    >>> {k: round(v, 3) for k, v in f.items()}
    {'cosine': 0.9, 'behind': 0.02, 'spread': 0.07, 'overlap': 0.667, 'english': 0.0, 'support': 0.5}
    """
    return {
        "cosine": cosine,
        "behind": nearest[0] - cosine,
        "spread": nearest[0] - nearest[-1],
        "overlap": len(sentence_words & task_words) / len(sentence_words) if sentence_words else 0.0,
        "english": 0.0 if _CJK.search(sentence) else 1.0,
        "support": support,
    }


def hit_features(parts: dict[str, float], query: str, best_score: float, score: float) -> dict[str, float]:
    """The model's inputs for one hit: its score parts (absent parts are 0), the query's title-likeness
    and the gap to the query's best hit."""
    english = 0.0 if _CJK.search(query) else 1.0
    return {
        "cosine": parts.get("cosine", 0.0),
        "lift": parts.get("lift", 0.0),
        "lexical": parts.get("lexical", 0.0),
        "title": parts.get("title", 0.0),
        "name": parts.get("name", 0.0),
        "likeness": title_likeness(query),
        "behind": best_score - score,
        "english": english,
        "cosine_en": english * parts.get("cosine", 0.0),
        "bm25_log": math.log1p(parts.get("bm25", 0.0)),
    }


def task_hit_features(parts: dict[str, float], query: str, best_score: float, score: float) -> dict[str, float]:
    """The query → task model's inputs for one task hit (absent parts are 0)."""
    return {
        "cosine": parts.get("cosine", 0.0),
        "lift": parts.get("lift", 0.0),
        "lexical": parts.get("lexical", 0.0),
        "bm25_log": math.log1p(parts.get("bm25", 0.0)),
        "behind": best_score - score,
        "english": 0.0 if _CJK.search(query) else 1.0,
    }


@dataclass(frozen=True)
class ConfidenceModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    strong: float  # at or above: a strong match
    partial: float  # at or above: a partial match; below: weak, not a good match
    name: str
    encoder: str = ""  # the encoder whose cosines it was fitted on

    def probability(self, feats: dict[str, float]) -> float:
        z = self.intercept + sum(
            c * (feats[f] - m) / s for f, m, s, c in zip(self.features, self.mean, self.std, self.coef, strict=False)
        )
        return 1.0 / (1.0 + math.exp(-z))

    def band(self, p: float) -> Band:
        return "strong" if p >= self.strong else "partial" if p >= self.partial else "weak"

    @classmethod
    def from_file(cls, path: Path, features: tuple[str, ...] = FEATURES) -> ConfidenceModel:
        data = json.loads(path.read_text())
        if tuple(data["features"]) != features:
            raise CalibrationMismatch(
                f"{path}: fitted on features {data['features']}, the code computes {list(features)}; refit"
            )
        return cls(
            tuple(data["features"]),
            tuple(data["mean"]),
            tuple(data["std"]),
            tuple(data["coef"]),
            data["intercept"],
            data["strong"],
            data["partial"],
            data["name"],
            data.get("encoder", ""),
        )


@lru_cache(maxsize=32)
def load(path: Path, features: tuple[str, ...] = FEATURES) -> ConfidenceModel:
    return ConfidenceModel.from_file(path, features)


def model_for(kind: str, encoder_id: str) -> ConfidenceModel | None:
    """The fitted model of a kind of match for this encoder; None when there is none, or the file was
    fitted with another encoder (its cosines mean something else): hits then carry no confidence."""
    path = model_file(kind, encoder_id)
    if not path.exists():
        return None
    model = load(path, KIND_FEATURES[kind])
    return model if model.encoder == encoder_id else None
