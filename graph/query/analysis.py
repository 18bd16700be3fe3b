"""Reading a free text: from the tasks its sentences show to the occupations they add up to.

Pure functions; graph.query.composed.ComposedQueries.analyze supplies the matches. Each sentence's nearest tasks
are scored by the sentence → task model (graph.query.confidence SENTENCE_FEATURES), and every pair weighs in the
ranking: on the tuning texts a pair's score alone reached the precision a claim needs (0.85 over the pairs
of the occupations shown) only from 0.75, where it kept about one pair in ten of those a reviewer drew. So
the ranking rests on all of them, and what a user reads as evidence is the coverage of the shown
occupations' tasks (analyze). An occupation keeps its best pair per sentence; its features (what the
text_occupation model, bench/eval_analyze.py, reads):

- evidence: 1 − Π(1 − p) over its sentences: several sentences each showing one of its tasks add up;
- mass: log1p of Σ p (the same, unsaturated: a long ad's thirty weak lines against five strong ones);
- best: its strongest pair;
- title: the calibrated chance (title coding) that the title line names it;
- share: its Σ p and title over the best candidate's: one occupation among near-equals is less sure;
- framed: whether the text is a job ad, CV or syllabus (given, or its markers say so: detect_kind).

>>> c = gather([[("t1", "o1", 0.9), ("t2", "o2", 0.6)], [("t3", "o1", 0.8)], []], {"o2": 0.7})
>>> sorted(c), c["o1"].pairs, round(c["o1"].features(1.7)["evidence"], 3), c["o2"].features(1.7)["title"]
(['o1', 'o2'], {0: ('t1', 0.9), 1: ('t3', 0.8)}, 0.98, 0.7)
>>> round(c["o2"].features(1.7)["share"], 3)
0.765
>>> title_of(["岗位职责：", "负责渗透测试"], "job_ad"), title_of(["【急招】渗透测试工程师", "岗位职责："], "job_ad")
(None, '【急招】渗透测试工程师')
>>> title_of(["Registered Nurse – Emergency Department (Full-time)", "What you'll do"], "job_ad")
'Registered Nurse – Emergency Department (Full-time)'
>>> title_of(["番茄炒蛋（两人份）", "材料：番茄2个"], None)
>>> title_of(["张三 | 男 | 28岁", "求职意向：网络安全工程师"], "cv"), title_of(["Python 程序设计", "课程目标"], "syllabus")
('网络安全工程师', None)
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from graph.query.confidence import ConfidenceModel
from graph.query.fusion import _CJK
from graph.query.sentences import LIST_ITEM
from graph.query.titles import clean_title

# a line that names the title: "职位：…", "求职意向：…", "Position: …"
_LABELLED = re.compile(
    r"^\s*(?:招聘岗位|招聘职位|岗位名称|职位名称|应聘岗位|应聘职位|求职意向|期望职位|意向岗位|目标岗位|"
    r"招聘|职位|岗位|job title|position|role|title)\s*[:：]\s*(\S.{0,40})$",
    re.I,
)
# a first line that is a heading, not a title
_HEADING = re.compile(
    r"(职责|要求|描述|简介|介绍|福利|待遇|简历|个人信息|联系方式|课程|大纲|教学|"
    r"responsibilit|requirement|description|about|benefit|summary|profile|syllabus|course|module)",
    re.I,
)
#: a first line longer than this, once cleaned of job-ad noise, is a sentence, not a title: Chinese characters,
#: or words of an English line (counted in characters, "Registered Nurse – Emergency Department (Full-time)"
#: was too long, and of the development rounds' English job ads only two had their title read)
TITLE_CHARS = 30
TITLE_WORDS = 12


def title_of(lines: list[str], kind: str | None) -> str | None:
    """The job title a text names, given its non-blank lines: a labelled line anywhere ("职位：…", "求职意向：…",
    "Position: …"); else, for a job ad, its first line when it is short and not a heading. A CV's first line is
    its owner's name, a syllabus's the course's and a recipe's the dish's, so none is read as a title."""
    for line in lines:
        m = _LABELLED.match(line)
        if m:
            return m.group(1).strip()
    if kind != "job_ad" or not lines:
        return None
    first = lines[0].strip()
    bare = clean_title(first) or first  # its length without the ad's noise (【急招】, salary, head count)
    short = len(bare) <= TITLE_CHARS if _CJK.search(bare) else len(bare.split()) <= TITLE_WORDS
    if short and not _HEADING.search(first) and any(ch.isalpha() for ch in first):
        return first
    return None


# what frames a text as a job ad, a CV or a syllabus: its headings and stock phrases. A recipe describes a
# cook's work and a film plot an animator's, but neither is about a job; on the tuning texts, unframed texts
# with nothing occupational were the ones read as an occupation with confidence.
KIND_MARKERS = {
    "job_ad": (
        "岗位职责",
        "工作职责",
        "职位描述",
        "任职要求",
        "岗位要求",
        "任职资格",
        "职位要求",
        "招聘",
        "急招",
        "诚聘",
        "薪资",
        "薪酬",
        "月薪",
        "五险一金",
        "投递",
        "responsibilities",
        "requirements",
        "qualifications",
        "what you'll do",
        "job description",
        "salary",
        "we are hiring",
        "apply",
    ),
    "cv": (
        "工作经历",
        "工作经验",
        "求职意向",
        "教育背景",
        "教育经历",
        "个人简历",
        "项目经历",
        "自我评价",
        "个人技能",
        "负责",
        "从事",
        "担任",
        "work experience",
        "employment history",
        "curriculum vitae",
        "resume",
        "responsible for",
        "i worked",
        "i led",
        "i managed",
    ),
    "syllabus": (
        "课程",
        "学时",
        "课时",
        "教学目标",
        "学习目标",
        "课程目标",
        "教学内容",
        "考核方式",
        "培训",
        "学员",
        "learning outcomes",
        "syllabus",
        "course",
        "module",
        "assessment",
        "lecture",
        "trainees",
    ),
}


def detect_kind(text: str) -> str | None:
    """The kind whose markers the text uses most (ties: job ad, CV, syllabus, in that order); None when it uses
    none of them.

    >>> detect_kind("岗位职责：负责焊接\\n任职要求：持证"), detect_kind("课程目标：掌握焊接（32学时）"), detect_kind("番茄炒蛋")
    ('job_ad', 'syllabus', None)
    """
    folded = text.casefold()
    counts = {kind: sum(m in folded for m in markers) for kind, markers in KIND_MARKERS.items()}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else None


# What a part of a job ad, CV or syllabus holds, by its heading: the work done or taught, or what the text asks
# for, offers or says about itself. Only the first shows tasks: "新闻记者证", "有酒店客房经验优先", "入职满一年可享
# 员工价住宿" and "适合人群：茶馆从业者" are near an occupation's tasks in meaning and show none of them.
# A heading alone on its line ("任职要求：", "Benefits") or before a list ("任职要求：1. …") holds for the lines
# after it; a label with its value ("学历：本科", "适合人群：茶馆从业者") for its own line.
_ASKS = re.compile(
    r"要求|资格|资质|条件|技能|证书|证照|教育|学历|自我评价|个人优势|个人信息|福利|待遇|我们提供|"
    r"公司介绍|公司简介|企业简介|关于我们|联系方式|如何申请|申请方式|投递|报名|适合人群|招生对象|培训对象|"
    r"requirement|qualification|looking for|you'll need|you need|you have|skills|"
    r"certific|licen|education|benefit|we offer|perks|about|contact|how to apply|prerequisite|"
    r"who should|who this|is for|audience|"
    r"薪资|薪酬|月薪|年薪|地址|地点|电话|邮箱|人数|主办|承办|对象|适合|教材|语言|"
    r"salary|pay|location|address|email|phone",
    re.I,
)
_DOES = re.compile(
    r"职责|工作内容|职位描述|岗位描述|工作描述|经历|业绩|课程内容|教学内容|培训内容|课程目标|学习目标|"
    r"教学目标|培训目标|教学安排|课程安排|大纲|responsibilit|duties|you'll do|you will do|the role|"
    r"experience|employment|outcomes|objectives|content|schedule|topics|outline|will learn",
    re.I,
)
_LABEL = re.compile(r"^[【\[]?([^：:。，,.!?！？]{2,16}?)[】\]]?\s*[:：]\s*(.*)$")
_SENTENCE_MARKS = re.compile(r"[。，,.!?！？；;0-9]")


def _heading(line: str) -> tuple[str, str] | None:
    """(label, what follows it) when a line is a heading or starts with a label; a list item never is."""
    raw = line.strip()
    if not raw or LIST_ITEM.match(raw):
        return None
    m = _LABEL.match(raw)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    bare = raw.strip("【】[]#* ")
    short = len(bare) <= 8 if re.search(r"[\u4e00-\u9fff]", bare) else len(bare.split()) <= 5
    return (bare, "") if short and bare and not _SENTENCE_MARKS.search(bare) else None


def asking_lines(lines: list[str]) -> list[bool]:
    """For each line of a text, whether it lies where the text asks, offers or describes (requirements, skills,
    certificates, education, benefits, the company, how to apply, who a course is for, its books)
    rather than where it tells the work done or taught. Lines before any heading are work.

    >>> asking_lines(["岗位职责：", "1. 负责焊接", "任职要求：1. 持焊工证", "2. 3年以上工作经验", "福利待遇", "五险一金"])
    [False, False, True, True, True, True]
    >>> asking_lines(["What you'll do", "• Weld pipes", "薪资：8K", "负责维修", "About us", "We build ships."])
    [False, False, True, False, True, True]
    >>> asking_lines(["课程目标：掌握焊接", "适合人群：焊工学员", "第1周 焊接安全", "教材", "《焊接工艺》"])
    [False, True, False, True, True]
    """
    out, asks = [], False
    for line in lines:
        head = _heading(line)
        if head is None:
            out.append(asks)
            continue
        label, rest = head
        opens = not rest or bool(LIST_ITEM.match(rest))  # a heading alone, or one its list starts after
        if _DOES.search(label):
            asks = False if opens else asks
            out.append(False)
        elif _ASKS.search(label):
            asks = True if opens else asks
            out.append(True)
        else:  # any other heading or label leaves the part as it was
            out.append(asks)
    return out


# Sentences about the employer, the hiring or a credential, wherever they stand: a recruiting site's company
# card ("月影酒吧 · 餐饮/酒吧 · 20-99人": a head count ends one of its fields), a call to apply
# ("招宠物护理员3名"; not "负责招聘", an HR duty) and a certificate earned ("2015年考取速录师职业资格"). On the
# development rounds each was claimed as evidence of its occupation's tasks, and a reviewer judged none of
# them to show one.
_NOT_WORK = re.compile(
    r"(?:\d+\s*[-–~至]\s*\d+\s*人|\d+\s*人以上|少于\s*\d+\s*人)(?=\s*(?:$|[·|｜,，]))|\d+\s*[-–]\s*\d+\s*employees|"
    r"急招|诚聘|招(?!聘|生|商|标)[^，。；,;]{0,12}?\d+\s*[名位个]|"
    r"(?:考取|取得|获得|持有|考过|拿到)[^，。；,;]{0,16}?(?:证|资格|执照)|"
    r"\b(?:obtained|earned|passed|holds?|holding)\b[^.;,]{0,40}?\b(?:certificate|certification|licen[cs]e)",
    re.I,
)


def about_the_job(sentence: str) -> bool:
    """Whether a sentence speaks of the employer, the hiring or a credential rather than the work.

    >>> [about_the_job(s) for s in ("月影酒吧 · 餐饮/酒吧 · 20-99人", "招宠物护理员3名", "2015年考取速录师职业资格")]
    [True, True, True]
    >>> [about_the_job(s) for s in ("负责招聘20名一线员工", "为20-30人的团队排班", "Obtained a forklift licence in 2019")]
    [False, False, True]
    """
    return bool(_NOT_WORK.search(sentence))


def asking_spans(text: str, spans: list) -> frozenset[int]:
    """The indices of the spans (graph.query.sentences.split) on lines where the text asks, offers or describes,
    and of those that speak of the employer, the hiring or a credential (about_the_job)."""
    starts, pos = [], 0
    for line in text.splitlines(keepends=True):
        starts.append(pos)
        pos += len(line)
    asking = asking_lines(text.splitlines())
    return frozenset(
        i for i, sp in enumerate(spans) if asking[bisect.bisect_right(starts, sp.start) - 1] or about_the_job(sp.text)
    )


@dataclass
class Candidate:
    occupation: str
    pairs: dict[int, tuple[str, float]] = field(default_factory=dict)  # sentence → (its best task, p)
    title: float = 0.0

    @property
    def mass(self) -> float:
        return sum(p for _, p in self.pairs.values()) + self.title

    def features(self, best_mass: float, framed: bool = True) -> dict[str, float]:
        ps = [p for _, p in self.pairs.values()]
        return {
            "evidence": 1.0 - math.prod(1.0 - p for p in ps),
            "mass": math.log1p(sum(ps)),
            "best": max(ps, default=0.0),
            "title": self.title,
            "share": self.mass / best_mass if best_mass > 0 else 0.0,
            "framed": float(framed),
        }


def gather(sentence_pairs: list[list[tuple[str, str, float]]], titles: dict[str, float]) -> dict[str, Candidate]:
    """Candidates from each sentence's (task, occupation, p) pairs and the title coding's confidence per
    occupation. An occupation keeps one pair per sentence, its best."""
    out: dict[str, Candidate] = {}
    for s, pairs in enumerate(sentence_pairs):
        for task, occ, p in pairs:
            c = out.setdefault(occ, Candidate(occ))
            if s not in c.pairs or p > c.pairs[s][1]:
                c.pairs[s] = (task, p)
    for occ, p in titles.items():
        out.setdefault(occ, Candidate(occ)).title = p
    return out


def rank(
    candidates: dict[str, Candidate], model: ConfidenceModel | None, framed: bool = True
) -> list[tuple[Candidate, float, dict[str, float]]]:
    """Candidates with their confidence (the text_occupation model; without a fit, the evidence and the title
    combined as independent chances) and features, most confident first (ties by id)."""
    best_mass = max((c.mass for c in candidates.values()), default=0.0)
    out = []
    for c in candidates.values():
        f = c.features(best_mass, framed)
        p = model.probability(f) if model is not None else 1.0 - (1.0 - f["evidence"]) * (1.0 - f["title"])
        out.append((c, p, f))
    return sorted(out, key=lambda x: (-x[1], x[0].occupation))
