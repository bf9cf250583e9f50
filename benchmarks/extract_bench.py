"""Extraction throughput and accuracy.

Throughput: ~400-word multilingual wire reports (en/fr/ar; one to three event paragraphs with attributions and
counts, the rest context, so one to four events a report as in real reporting) through the full per-report
pipeline (extract + resolve) on 2 worker processes; steady-state reports/s once every worker has loaded its
models, the start-up time separately, the per-report time in one process, and the peak RSS of the workers and
the parent. Targets (issue 11): >= 100 reports/s, <= 1.5 GiB. Accuracy: ``eventwatch eval``'s table on the TEST split of
``../shared/eval/*.csv``; without one (the folder holds no CSV yet) it says so and falls back to the bundled
tests/evaluate/fixtures/gold-small.csv, which is for plumbing, not for judging quality.
"""

from __future__ import annotations

import resource
import time
from datetime import UTC, datetime
from multiprocessing import get_context
from multiprocessing.synchronize import Barrier as BarrierType
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eventwatch.evaluate.harness import evaluate
from eventwatch.evaluate.report import render
from eventwatch.model import Report
from eventwatch.pipeline import process_report, warm_up

REPO = Path(__file__).resolve().parent.parent
SHARED_EVAL = REPO.parent / "shared" / "eval"
BUNDLED = REPO / "tests" / "evaluate" / "fixtures" / "gold-small.csv"
WORKERS = 2
TARGET_RPS = 100.0  # issue 11
TARGET_RSS_GIB = 1.5
STARTUP_TIMEOUT_S = 300.0

# Event paragraphs: each tells zero to two events (an attributed strike with counts, a clash, a denied report, a
# protest, a rising toll with a dated massacre as background), the way a lead or a follow-up paragraph does.
_EVENTS = {
    "en": [
        "According to the Syrian Observatory for Human Rights, government forces shelled villages near Jisr "
        "al-Shughur on Tuesday, killing at least {n} civilians and wounding twenty-five others.",
        "Reuters reported that clashes broke out between the SDF and Turkish-backed factions near Manbij, "
        "where both sides sustained losses; the exact number remains unknown.",
        "Local sources said gunmen abducted {m} farmers on the road to Djibo, while the army denied reports "
        "that it had executed prisoners.",
        "Hundreds of protesters rallied in Suwayda against the governor, and police fired tear gas to disperse "
        "them, officials said. No casualties were reported.",
        "The death toll from last week's drone strike on the market has risen to {k}, medics said. In March "
        "2024, militants massacred dozens of villagers in the same area.",
    ],
    "fr": [
        "Selon l'OSDH, des frappes aériennes ont tué au moins {n} civils et blessé vingt-cinq personnes mardi "
        "près d'Idlib.",
        "Des affrontements ont opposé l'armée malienne au JNIM près de Douentza; les deux camps ont subi des "
        "pertes, le bilan reste inconnu.",
        "Des hommes armés ont enlevé soixante-dix villageois près de Djibo, selon des sources locales. L'armée a "
        "démenti avoir bombardé le marché.",
        "Le bilan s'élève désormais à {k} morts depuis le début de l'offensive, a indiqué le ministère.",
    ],
    "ar": [
        "أفاد المرصد السوري لحقوق الإنسان بمقتل {n} مدنيين وإصابة خمسة وعشرين آخرين في قصف على ريف إدلب.",
        "اندلعت اشتباكات عنيفة بين قوات الدعم السريع والجيش قرب الفاشر، وسقط قتلى من الطرفين دون تحديد العدد.",
        "ونقلت رويترز عن مصادر محلية أن مسلحين اختطفوا {m} مزارعين قرب مدينة نيالا.",
        "ارتفعت حصيلة ضحايا الغارة إلى {k} قتيلا منذ بداية الهجوم.",
    ],
}

# Context paragraphs: what fills the rest of a ~400-word wire report (humanitarian situation, official reactions,
# background on a group, verification caveats, economy, quotes). They name places, organisations, numbers, dates
# and speakers, so every stage still does its work on them, but they tell no new event: a real 400-word article
# reports one to four events, not one per paragraph.
_CONTEXT = {
    "en": [
        "The UN Office for the Coordination of Humanitarian Affairs said more than 12,000 people had been displaced "
        "from the area since the start of the month, many of them sheltering in schools and mosques. Aid agencies "
        "warned that stocks of food and medicine were running low and that the main road to the provincial capital "
        "had been closed to commercial traffic for weeks.",
        "In a statement on Wednesday, the foreign ministry called on all parties to exercise restraint and to return "
        "to talks brokered by Qatar and Egypt. A spokesperson added that the government remained committed to a "
        "political solution and would keep working with the UN special envoy.",
        "The group emerged in 2017 from a merger of several smaller factions and has since expanded its presence "
        "across the border region. Analysts say it finances its operations by taxing local markets and controlling "
        "smuggling routes, and its leaders have repeatedly rejected calls to disarm.",
        "Independent verification of the figures was not immediately possible because of restrictions on access for "
        "journalists and aid workers. Telephone and internet services in the area have been cut intermittently since "
        "September, and several local radio stations have stopped broadcasting.",
        "Prices of bread and fuel have more than doubled in local markets since the summer, residents told reporters "
        "by phone. Many families now depend on money sent by relatives abroad, and farmers say they have been unable "
        "to reach their fields for most of the planting season.",
        "“We do not know where to go any more,” said a mother of four who left her village last week and now lives in "
        "a camp on the outskirts of the town. She asked that her name be withheld for fear of reprisals.",
        "Doctors Without Borders said the only functioning hospital in the area was receiving dozens of patients "
        "every day and that its teams were working without reliable electricity or fuel. The organisation called for "
        "safe corridors to bring in medical supplies.",
        "Most schools in the district have been closed since the start of the academic year, and several government "
        "buildings have been turned into temporary shelters for families arriving from nearby villages.",
    ],
    "fr": [
        "Selon le Bureau de la coordination des affaires humanitaires des Nations unies, plus de 8 000 personnes ont "
        "été déplacées depuis le début du mois, en majorité des femmes et des enfants. Les organisations humanitaires "
        "affirment que l'accès à la zone reste très limité et que les stocks de nourriture et de médicaments "
        "s'épuisent.",
        "Dans un communiqué publié mercredi, le ministère des Affaires étrangères a appelé toutes les parties à la "
        "retenue et au respect du droit international humanitaire. Le gouvernement dit rester attaché à une solution "
        "politique et poursuivre le dialogue avec ses partenaires régionaux.",
        "Le groupe, né en 2017 de la fusion de plusieurs organisations, a depuis étendu sa présence dans la région "
        "des trois frontières. D'après plusieurs chercheurs, il se finance notamment par des taxes prélevées sur les "
        "marchés locaux et par le contrôle des routes de contrebande.",
        "La vérification indépendante des bilans reste difficile en raison des restrictions imposées aux journalistes "
        "et aux travailleurs humanitaires. Les communications téléphoniques sont coupées par intermittence depuis "
        "septembre, et plusieurs radios locales ont cessé d'émettre.",
        "Les prix du pain et du carburant ont plus que doublé sur les marchés depuis l'été, ont expliqué des habitants "
        "joints par téléphone. De nombreuses familles dépendent désormais de l'argent envoyé par des proches installés "
        "à l'étranger.",
        "Médecins sans frontières indique que le seul hôpital encore fonctionnel de la zone accueille chaque jour des "
        "dizaines de patients, dans des conditions rendues difficiles par le manque de carburant et de médicaments. "
        "L'ONG appelle à l'ouverture de couloirs sécurisés pour acheminer l'aide.",
        "La plupart des écoles de la région sont fermées depuis la rentrée, et plusieurs bâtiments publics ont été "
        "transformés en centres d'hébergement pour les familles arrivées des villages voisins ces dernières semaines.",
    ],
    "ar": [
        "وقال مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية إن أكثر من عشرة آلاف شخص نزحوا من المنطقة منذ بداية الشهر، "
        "ولجأ كثيرون منهم إلى المدارس والمساجد، محذرا من نقص حاد في الغذاء والدواء.",
        "ودعت وزارة الخارجية في بيان صدر يوم الأربعاء جميع الأطراف إلى ضبط النفس والعودة إلى طاولة المفاوضات، مؤكدة "
        "التزام الحكومة بالحل السياسي وبالتعاون مع المبعوث الأممي.",
        "ويصعب التحقق بشكل مستقل من الأرقام بسبب القيود المفروضة على دخول الصحفيين وعمال الإغاثة، كما تشهد المنطقة "
        "انقطاعا متكررا في شبكات الاتصالات منذ شهر أيلول.",
        "وتضاعفت أسعار الخبز والوقود في الأسواق المحلية منذ الصيف، بحسب ما قاله سكان للصحفيين عبر الهاتف، فيما تعتمد "
        "عائلات كثيرة على الحوالات المالية من أقارب في الخارج.",
        "وكانت الجماعة قد تشكلت عام 2017 من اندماج عدة فصائل صغيرة، ووسعت منذ ذلك الحين نفوذها في المناطق الحدودية، "
        "ويقول محللون إنها تمول عملياتها من فرض الضرائب على الأسواق وطرق التهريب.",
        "وأعلنت منظمة أطباء بلا حدود أن المستشفى الوحيد العامل في المنطقة يستقبل يوميا عشرات المرضى، وأن فرقها تعمل "
        "في ظروف صعبة بسبب نقص الوقود والأدوية وانقطاع الكهرباء لساعات طويلة، داعية إلى فتح ممرات آمنة لإيصال "
        "المساعدات الطبية.",
        "ويقول مراقبون إن المحادثات بين الأطراف متوقفة منذ أشهر، وإن المبادرات الإقليمية لم تحقق تقدما يذكر حتى الآن، "
        "في ظل تبادل الاتهامات بين الجانبين وغياب أي ضمانات دولية.",
        "وأغلقت معظم المدارس أبوابها في المنطقة منذ بداية العام الدراسي، فيما تحولت مبان حكومية عدة إلى مراكز إيواء "
        "مؤقتة للعائلات النازحة التي وصلت من القرى المجاورة خلال الأسابيع الماضية.",
        "وأشار سكان إلى أن الطريق الرئيسي الذي يربط المدينة بالعاصمة الإقليمية مغلق أمام الشاحنات التجارية منذ "
        "أسابيع، ما أدى إلى ارتفاع كبير في أسعار السلع الأساسية ونقص في غاز الطهي والطحين في المخابز.",
        "وقالت امرأة نزحت مع أطفالها الأربعة الأسبوع الماضي وتقيم حاليا في مخيم على أطراف المدينة إنها لم تعد تعرف "
        "إلى أين تذهب، فكل مكان تصل إليه يصبح غير آمن بعد أيام قليلة، وطلبت عدم ذكر اسمها خوفا من الانتقام.",
        "وأوضح برنامج الأغذية العالمي أنه اضطر إلى تقليص الحصص الغذائية المقدمة للنازحين إلى النصف بسبب نقص "
        "التمويل، مشيرا إلى أن نحو ثلث السكان في المنطقة يعانون من انعدام حاد في الأمن الغذائي.",
        "ويقول مزارعون في القرى المحيطة إنهم لم يتمكنوا من الوصول إلى حقولهم خلال معظم موسم الزراعة، وإن محاصيل "
        "القمح والشعير جاءت هذا العام أقل بكثير من المعتاد بسبب غياب الوقود والأسمدة.",
    ],
}


def corpus(n: int) -> list[Report]:
    """n reports of ~400 words in en/en/fr/ar: one to three event paragraphs, each followed by context paragraphs.

    The event paragraphs come first, third and fifth, as in wire copy (a lead, then context, then a related
    incident). Numbers vary so that no two texts are equal. Arabic context paragraphs are shorter, so an Arabic
    report may repeat one to reach the length.
    """
    out: list[Report] = []
    pub = datetime(2025, 10, 22, 9, tzinfo=UTC)
    for i in range(n):
        lang = ("en", "en", "fr", "ar")[i % 4]
        events, context = _EVENTS[lang], _CONTEXT[lang]
        n_events = 1 + (i // 4) % 3
        body: list[str] = []
        e = c = 0
        while sum(len(p.split()) for p in body) < 400:
            if e < n_events and len(body) % 2 == 0:
                p = events[(i + e) % len(events)]
                body.append(p.format(n=3 + (i + e) % 40, m=2 + (i * 7 + e) % 30, k=20 + (i * 3 + e) % 900))
                e += 1
            else:
                body.append(context[(i + c) % len(context)])
                c += 1
        out.append(Report(text="\n".join(body), language=lang, published_at=pub, source=f"bench-{i}"))
    return out


def _work(reports: list[Report]) -> tuple[int, int]:
    events = sum(len(process_report(r).events) for r in reports)
    return events, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _start(ready: BarrierType) -> None:
    """Worker initializer: what ``eventwatch process`` workers run (models and lexicons loaded once per worker),
    then wait until every worker is ready, so no timed task runs beside a worker that is still loading."""
    warm_up()
    ready.wait()


def single(n: int = 200) -> float:
    """Steady-state milliseconds per report in this process (models already loaded)."""
    warm_up()
    reports = corpus(n)
    started = time.perf_counter()
    for r in reports:
        process_report(r)
    return (time.perf_counter() - started) * 1000 / n


def throughput(n: int = 800, workers: int = WORKERS) -> dict[str, float]:
    reports = corpus(n)
    words = sum(len(r.text.split()) for r in reports) / n
    chunks = [reports[i : i + 25] for i in range(0, n, 25)]
    ctx = get_context("spawn")
    # The barrier's parties include this process: start-up ends when every worker has loaded its models, and
    # only then does the steady-state clock start.
    ready = ctx.Barrier(workers + 1)
    begun = time.perf_counter()
    with ctx.Pool(workers, initializer=_start, initargs=(ready,)) as pool:
        # Bounded: a worker whose initializer fails is replaced by the pool forever, and would never arrive.
        ready.wait(timeout=STARTUP_TIMEOUT_S)
        startup = time.perf_counter() - begun
        started = time.perf_counter()
        results = pool.map(_work, chunks)
        seconds = time.perf_counter() - started
    worker_rss = max(r[1] for r in results) / 2**20  # GiB
    parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    return {
        "reports": n,
        "words_per_report": words,
        "events": sum(r[0] for r in results),
        "startup_s": startup,
        "seconds": seconds,
        "reports_per_s": n / seconds,
        "worker_peak_rss_gib": worker_rss,
        "total_peak_rss_gib": worker_rss * workers + parent_rss,
    }


def main() -> None:
    console = Console()
    t = throughput()
    table = Table(
        title=f"extraction throughput ({WORKERS} worker processes, ~{t['words_per_report']:.0f}-word reports)"
    )
    # Short headers: the table must fit an 80-column log (make bench output is usually piped).
    for col in ("reports", "events", "rep/s", "target", "worker RSS", "all RSS", "RSS target", "start-up",
                "1 proc"):  # fmt: skip
        table.add_column(col, justify="right")
    table.add_row(
        f"{t['reports']:.0f}", f"{t['events']:.0f}", f"{t['reports_per_s']:.1f}", f">= {TARGET_RPS:.0f}",
        f"{t['worker_peak_rss_gib']:.2f} GiB", f"{t['total_peak_rss_gib']:.2f} GiB", f"<= {TARGET_RSS_GIB} GiB",
        f"{t['startup_s']:.1f} s", f"{single():.1f} ms",
    )  # fmt: skip
    console.print(table)
    console.print("rep/s: steady state, every worker loaded; all RSS: peak RSS of the workers and the parent; "
                  "start-up: pool creation until every worker has loaded its models; 1 proc: steady-state time "
                  "per report in one process")  # fmt: skip
    csvs = sorted(SHARED_EVAL.glob("*.csv")) if SHARED_EVAL.is_dir() else []
    if not csvs:
        console.print(f"[yellow]no gold CSV in {SHARED_EVAL}: scoring the bundled fixture {BUNDLED.name} "
                      "(20 rows, plumbing only, not a quality measure)[/yellow]")  # fmt: skip
        csvs = [BUNDLED]
    for path in csvs:
        split = "test" if path != BUNDLED else "all"
        console.print(render(evaluate(path, split=split), title=f"{path.name} ({split} split)"))


if __name__ == "__main__":
    main()
