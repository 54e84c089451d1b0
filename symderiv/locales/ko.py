"""한국어: 각 법칙의 이름과 근거, 그리고 문서에 쓰이는 말.

템플릿은 수식을 중괄호 필드(``{law}``, ``{f}``, ``{constant}`` 등)로 나타낸다. 각 필드의 뜻은
:data:`symderiv.locales.FIELDS` 를 참고한다.

필드 뒤의 조사는 사전처럼 두 형태를 함께 쓴다(``{f}은(는)``, ``이(가)``, ``을(를)``, ``과(와)``,
``(으)로``, ``(이)라``). 문장을 만들 때 앞말(수식은 읽는 소리의 마지막 음절)의 받침에 따라 한 형태가
남는다: :mod:`symderiv.locales.korean` (Particles after a field are written in both forms, as a
dictionary writes them; the form the preceding word takes is kept when the sentence is built.)
"""

from __future__ import annotations

from .korean import agree
from .locale import Locale

NAME = "한국어"

_TABLE_NAMES = {
    "sin": "sin", "cos": "cos", "tan": "tan", "cot": "cot", "sec": "sec", "csc": "csc",
    "asin": "arcsin", "acos": "arccos", "atan": "arctan", "acot": "arccot", "asec": "arcsec",
    "acsc": "arccsc", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "coth": "coth",
    "sech": "sech", "csch": "csch", "asinh": "arsinh", "acosh": "arcosh", "atanh": "artanh",
    "acoth": "arcoth",
}

RULES: dict[str, tuple[str, str]] = {
    "constant": ("상수의 미분", "{f}은(는) {variable}에 의존하지 않으므로 미분하면 0이다."),
    "identity": ("변수의 미분", "{variable}을(를) 자기 자신에 대해 미분하면 1이다."),
    "sum": ("합의 미분법", "합의 미분은 미분의 합이다. 각 항을 따로 미분한다."),
    "constant_multiple": ("상수배의 미분법", "상수배는 미분 기호 밖으로 꺼낼 수 있다. 여기서 상수는 {constant}이다."),
    "product": (
        "곱의 미분법",
        "인수를 하나씩 미분하고 나머지 인수는 그대로 둔 채 모두 더한다: {law}.",
    ),
    "quotient": ("몫의 미분법", "분자 {numerator}, 분모 {denominator}에 적용한다: {law}."),
    "reciprocal": ("역수의 미분법", "분모 {denominator}에 적용한다: {law}."),
    "power": (
        "거듭제곱의 미분법",
        "지수 {exponent}을(를) 앞으로 내리고 지수를 1 줄인다: {law}.",
    ),
    "sqrt": ("제곱근의 미분", "제곱근은 1/2제곱이므로 {law}."),
    "root": ("거듭제곱근의 미분", "n제곱근은 1/n제곱이므로 {law}."),
    "exp": ("지수함수의 미분", "지수함수는 미분해도 그대로이다: {law}."),
    "exponential": ("지수함수의 미분", "밑이 {base}인 경우: {law}."),
    "log": ("로그함수의 미분", "로그의 도함수는 변수의 역수이다: {law}."),
    "log_differentiation": ("로그 미분법", "밑과 지수가 모두 변하므로 로그를 취해 미분한다: {law}."),
    **{rule: (f"{name}의 미분", "미분 공식에 의해 {law}.") for rule, name in _TABLE_NAMES.items()},
    "tanh": ("tanh의 미분", "tanh의 도함수는 tanh 자신으로 나타낼 수 있다: {law}."),
    "abs": ("절댓값의 미분", "{law}. 절댓값은 0에서 꺾이므로 그 점에서는 미분할 수 없다."),
    "sigmoid": ("시그모이드 함수의 미분", "시그모이드 함수의 도함수는 시그모이드 함수 자신으로 나타낼 수 있다: {law}."),
    "softplus": ("소프트플러스 함수의 미분", "소프트플러스 함수의 도함수는 시그모이드 함수이다: {law}."),
    "relu": (
        "ReLU의 미분",
        "ReLU의 기울기는 입력이 양수이면 1, 음수이면 0이다: {law}. 꺾이는 점 0에서는 NumPy, "
        "PyTorch와 같이 0으로 둔다.",
    ),
    "heaviside": ("계단 함수의 미분", "계단 함수는 0의 양쪽에서 일정하므로 {law}."),
    "floor": ("바닥 함수의 미분", "바닥 함수는 정수 사이에서 일정하고 각 정수에서 뛰므로(거기서는 미분할 수 없다) {law}."),
    "ceiling": ("천장 함수의 미분", "천장 함수는 정수 사이에서 일정하고 각 정수에서 뛰므로(거기서는 미분할 수 없다) {law}."),
    "sign": ("부호 함수의 미분", "부호 함수는 0의 양쪽에서 일정하므로(−1과 1) {law}."),
    "piecewise": ("구간별로 정의된 함수의 미분", "각 구간에서 식을 따로 미분한다: {law}."),
    "max": ("max의 미분", "max는 더 큰 인수를 따른다: {law}."),
    "min": ("min의 미분", "min은 더 작은 인수를 따른다: {law}."),
    "chain": (
        "연쇄 법칙",
        "바깥 함수 {outer}을(를) {name}에 대해 미분하고, 안쪽 함수 {inner}의 도함수를 곱한다: {law}.",
    ),
    "sympy": (
        "SymPy에 의한 미분",
        "{f}에 맞는 공식이 없으므로 SymPy로 미분하고, symderiv가 이 단계를 검증한다.",
    ),
    "derivatives": (
        "각 부분의 도함수",
        "각 도함수를 그 값으로 바꾼다(유도는 아래에 있다): {values}.",
    ),
    "higher_order": (
        "한 번 더 미분",
        "고계 도함수는 앞의 도함수의 도함수이다. 먼저 1계 도함수를 그 값으로 바꾸고(유도는 아래에 있다) {values}, "
        "남은 미분은 그 값에 대해 한다: {law}.",
    ),
    "substitute": ("되돌려 대입", "치환한 변수를 원래 식으로 바꾼다({values}). 이제 식은 {wrt}만으로 나타난다."),
    "simplify": ("정리", "동류항을 모으고 약분한다."),
    "expand": ("전개", "곱을 풀어 쓰고 동류항을 정리한다."),
    "factor": ("인수분해", "공통인수로 묶는다."),
    "scale_fraction": ("분자와 분모에 같은 인수 곱하기", "분자와 분모에 0이 아닌 같은 인수 {factor}을(를) 곱한다."),
    "add_subtract": ("같은 수를 더하고 빼기", "분자에 {term}을(를) 더하고 뺀다. 값은 변하지 않는다."),
    "split_fraction": ("분수 나누기", "분수를 나눈다: {law}."),
    "recognize_sigmoid": (
        "시그모이드 함수로 나타내기",
        "시그모이드 함수의 정의 {law}에 따라 {sigmoid}(으)로 나타낸다.",
    ),
    "sigmoid_complement": ("1에서 시그모이드 함수를 뺀 꼴로 나타내기", "{law}을(를) 이용해 고쳐 쓴다."),
    "trig_identities": ("삼각함수 항등식 이용하기", "사인과 코사인으로 나타내고 {law}을(를) 이용해 정리한다."),
    "softmax_component": ("소프트맥스 성분으로 나타내기", "소프트맥스의 성분에 이름을 붙인다: {law}."),
}

WORDS: dict[str, str] = {
    "fallback": "{law}.",
    "introduces": "{introduces}(이)라 두자.",
    "constants": "여기서 {constants}은(는) 상수로 취급한다.",
    "title": "{expr}의 미분",
    "statement": "{expr}을(를) {wrt}에 대해 미분한다.",
    "statement_partial": "{expr}을(를) {wrt}에 대해 편미분한다({others}은(는) 상수로 취급한다).",
    "title_higher": "도함수 {derivative}",
    "statement_higher": "{derivative}을(를) 앞의 도함수를 한 번씩 미분하여 구한다.",
    "steps": "풀이 과정",
    "step": "{n}단계",
    "result": "결과",
    "result_line": "따라서 {equation}.",
    "where": "단, {substitutions}",
    "proof_identical": "검증됨: 포함된 미분을 모두 계산하면 양변이 같은 식이 되며, 무작위로 고른 {points}개의 점에서 {digits}자리까지 일치한다",
    "proof_symbolic": "검증됨: 양변의 차를 정리하면 0이며, 무작위로 고른 {points}개의 점에서 {digits}자리까지 일치한다",
    "proof_numeric": "검증됨: 무작위로 고른 {points}개의 점에서 {digits}자리까지 일치한다",
    "proven": "위의 모든 단계는 symderiv가 검증했다.",
    "rule": "법칙",
    "notes": "각 단계의 근거",
    "languages": "언어",
    "formats": "형식",
    "contents": "목차",
    "index_title": "symderiv: 단계별 유도",
    "index_intro": (
        "로지스틱 회귀와 역전파의 공식을 법칙 하나씩 적용해 유도한다. 모든 단계는 검증되었고, "
        "네 가지 언어와 네 가지 형식으로 읽을 수 있다."
    ),
    "plot_sigmoid": (
        "시그모이드 함수 $\\sigma$와 그 도함수 $\\sigma' = \\sigma (1 - \\sigma)$. 기울기는 0에서 가장 크며 $\\sigma'(0) = \\frac{1}{4}$이다. "
        "시그모이드를 지나는 기울기는 1/4 이하로 줄어든다."
    ),
    "plot_exp_log": (
        "지수함수 $e^{x}$는 점 (0, 1)을 지나며 한없이 증가한다. 로그함수 $\\log x$는 그 거울상이다. "
        "확률의 $-\\log$가 교차 엔트로피 손실이다."
    ),
    "doc_sigmoid_quotient": "몫의 미분법으로 구하는 시그모이드 함수의 미분",
    "doc_sigmoid_quotient_intro": (
        "시그모이드 함수 $\\sigma(x) = \\frac{1}{1 + e^{-x}}$는 분수이므로 몫의 미분법으로 시작하고, "
        "분자에 1을 더하고 빼서 $\\sigma(x)$가 두 번 나타나게 한다."
    ),
    "doc_sigmoid_chain": "연쇄 법칙으로 구하는 시그모이드 함수의 미분",
    "doc_sigmoid_chain_intro": (
        "시그모이드 함수를 $f = u^{-1}$, $u = 1 + e^{v}$, $v = -x$로 층을 나누어 쓰고, 각 층의 도함수를 곱한다: "
        "$\\frac{\\mathrm{d}f}{\\mathrm{d}x} = \\frac{\\mathrm{d}f}{\\mathrm{d}u} \\cdot \\frac{\\mathrm{d}u}{\\mathrm{d}v} \\cdot \\frac{\\mathrm{d}v}{\\mathrm{d}x}$."
    ),
    "doc_sigmoid_reciprocal": "$t = 1 + e^{-x}$로 두고 구하는 시그모이드 함수의 미분",
    "doc_sigmoid_reciprocal_intro": (
        "분모를 $t = 1 + e^{-x}$로 두면 $y = 1/t$이다. 역수의 미분법으로 $\\frac{\\mathrm{d}y}{\\mathrm{d}t} = -\\frac{1}{t^{2}}$를 얻고, "
        "연쇄 법칙으로 마무리한다."
    ),
    "doc_cross_entropy_z": "로짓에 대한 교차 엔트로피 손실의 기울기",
    "doc_cross_entropy_z_intro": (
        "예측값 $a = \\sigma(z)$와 정답 y에 대해 손실은 $L = -\\left(y \\log a + (1 - y) \\log(1 - a)\\right)$이다. "
        "이를 z에 대해 미분하면 잘 알려진 $a - y$가 된다."
    ),
    "doc_cross_entropy_w": "가중치에 대한 교차 엔트로피 손실의 기울기",
    "doc_cross_entropy_w_intro": (
        "$z = w x + b$로 두고 같은 손실을 가중치 w에 대해 미분하면 $x (a - y)$, 즉 오차와 입력의 곱이 된다."
    ),
    "doc_sigmoid_squared": "$\\sigma^{2}$의 미분",
    "doc_sigmoid_squared_intro": (
        "연쇄 법칙과 시그모이드 함수의 미분을 함께 쓴다: $y = \\sigma^{2}(x)$의 도함수는 $2 \\sigma(x) \\cdot \\sigma(x) \\left(1 - \\sigma(x)\\right)$이다. "
        "$x = 2$에서 0.1850으로, 자동 미분의 값과 같다."
    ),
    "doc_relu": "ReLU의 미분",
    "doc_relu_intro": (
        "$\\operatorname{ReLU}(x) = \\max(0, x)$는 양수 입력은 그대로 통과시키고 나머지는 막는다. 도함수는 계단 함수 $H(x)$이며, "
        "꺾이는 점 $x = 0$에서는 0으로 둔다."
    ),
    "doc_tanh": "tanh의 미분",
    "doc_tanh_intro": "하이퍼볼릭 탄젠트 함수 tanh도 시그모이드 함수처럼 도함수를 자기 자신으로 나타낼 수 있다.",
    "doc_softplus": "소프트플러스 함수의 미분",
    "doc_softplus_intro": "소프트플러스 함수 $\\log(1 + e^{x})$는 매끄러운 ReLU이며, 그 도함수는 정확히 시그모이드 함수이다.",
}

# 계산 그래프의 역전파 (symderiv.models.graph).
RULES["backward_node"] = (
    "노드의 역전파",
    "노드 {node}의 역전파: 이 노드에 도달한 기울기 {gradient}에 국소 기울기 {local}을(를) 곱해 각 입력으로 "
    "전달한다. 여러 경로로 같은 입력에 도달한 기울기는 더한다.",
)

# 층으로 된 신경망과 역전파 (symderiv.models.network).
RULES["weighted_sum"] = (
    "가중합의 미분",
    "{f}은(는) 가중합 {law}이다. {variable}을(를) 포함한 항만 {variable}에 의존하므로 미분은 {result}이다.",
)
RULES["activation"] = ("활성값의 이름", "활성값을 그 이름으로 쓴다({law}): {part} = {result}.")
RULES["backprop"] = (
    "층을 거치는 역전파",
    "가중치는 다음 층의 모든 유닛을 거쳐 손실에 닿으므로, 연쇄 법칙은 그 경로들을 더한다: {law}.",
)
RULES["delta"] = (
    "유닛의 오차 δ",
    "각 유닛의 오차를 δ = ∂E/∂z라 하고 출력층부터 거꾸로 구한다: {law}. 여기서 {part} = {result}.",
)
RULES["output_delta"] = ("출력층의 오차", "출력층에서는 국소 미분들이 간단히 정리된다: {law}.")
RULES["matrix_elementwise"] = (
    "원소별로 본 행렬 형태",
    "원소별로 보면 z = Θa를 거치는 연쇄 법칙이고, 모든 원소를 한꺼번에 쓰면 하나의 행렬 곱이다: {law}.",
)
RULES["bias_unit"] = (
    "편향 유닛",
    "Θ⁽ˡ⁾은(는) 첫 열이 편향인 [b W]이고 a⁽ˡ⁾은(는) 상수 1로 시작하므로, Wa + b에 대해 유도한 규칙을 Θ 전체로 쓰면 다음과 같다: {law}.",
)
RULES["regularization"] = (
    "정규화 항의 미분",
    "정규화 항 {f}은(는) 편향 가중치를 뺀 가중치 제곱의 합이다: {law}. {variable}에 대해 미분하면 {result}이다.",
)
RULES["log_softmax"] = ("소프트맥스의 로그", "두 항으로 나뉜다: {law}.")
RULES["targets_sum_to_one"] = (
    "목표값의 합은 1",
    "원-핫(또는 확률) 목표값은 합이 1이므로 log-sum-exp 항이 한 번만 남는다: {law}.",
)

# 계산 그래프, 신경망, 기울기 소실 문서 (symderiv.documents).
WORDS.update({
    'doc_sigmoid_slope': "기울기 소실의 이유: 시그모이드 함수의 기울기는 1/4 이하",
    'doc_sigmoid_slope_intro': "$\\sigma' = \\sigma (1 - \\sigma)$를 한 번 더 미분하면 $\\sigma'' = \\sigma (1 - \\sigma)(1 - 2\\sigma)$이고, 이는 $(0, 1)$ 안에서 $\\sigma = \\frac{1}{2}$, 즉 $x = 0$일 때만 0이 된다. 그곳에서 기울기가 가장 크며 $\\sigma'(0) = \\frac{1}{4}$이므로, $n$개의 시그모이드 층을 지나는 기울기는 많아야 $(\\frac{1}{4})^{n}$배가 된다. 이것이 기울기 소실의 논증이다(자료 004).",
    'doc_sigmoid_graph': "계산 그래프로 구하는 시그모이드 함수의 도함수",
    'doc_sigmoid_graph_intro': "시그모이드 함수를 $\\times(-1)$, $\\exp$, $+1$, $\\div$ 네 개의 노드로 그린다(자료 000). 역전파는 출력에서 시작해 그래프를 거꾸로 따라간다. $\\div$ 노드는 기울기에 $-y^{2}$를 곱하고, $+$ 노드는 그대로 전달하며, $\\exp$ 노드는 $e^{-x}$를, $\\times(-1)$ 노드는 $-1$을 곱해 $y (1 - y)$에 이른다.",
    'doc_shared_paths': "역전파가 편미분을 저장하는 이유: 한 변수로 가는 두 경로",
    'doc_shared_paths_intro': "$e = (a + b)(b + 1)$에서 $c = a + b$, $d = b + 1$로 두면(자료 001), $b$는 두 경로로 $e$에 닿는다. $e$에서 거꾸로 계산하면 각 국소 미분은 한 번만 계산되고, 두 경로로 온 기울기가 더해진다: $\\frac{\\partial e}{\\partial b} = d + c$. $a = 2$, $b = 1$에서 $e = 6$, $\\frac{\\partial e}{\\partial a} = 2$, $\\frac{\\partial e}{\\partial b} = 5$이다.",
    'doc_network_output_weight': "신경망의 비용 함수: 출력층 가중치의 기울기",
    'doc_network_output_weight_intro': "자료 001의 3층 시그모이드 신경망과 정규화된 교차 엔트로피 비용 $J(\\Theta)$. 출력층 가중치의 경우 연쇄 법칙이 $a^{(3)} = \\sigma(z^{(3)})$와 $z^{(3)} = \\sum \\theta a^{(2)}$를 거쳐 $\\frac{1}{m}(a^{(3)} - y)\\, a^{(2)}$에 정규화 항 $\\frac{\\lambda}{m}\\theta$를 더한 값이 된다.",
    'doc_network_hidden_weight': "신경망의 비용 함수: 은닉층 가중치의 기울기와 δ",
    'doc_network_hidden_weight_intro': "은닉층 가중치의 경우 연쇄 법칙이 $z^{(2)}$를 더 거친다. 그 층의 모든 가중치가 공유하는 부분을 $\\delta^{(2)}$로 이름 붙여 한 번만 계산한다: $\\delta^{(3)} = a^{(3)} - y$, $\\delta^{(2)} = (\\Theta^{(2)})^{T} \\delta^{(3)} \\odot a^{(2)} (1 - a^{(2)})$(자료 001).",
    'plot_graph_sigmoid': "$x = 1$에서 $\\frac{1}{1 + e^{-x}}$의 계산 그래프: 각 노드에는 값과 도착한 기울기, 각 간선에는 국소 기울기를 표시한다.",
    'plot_graph_shared': "$a = 2$, $b = 1$에서 $e = (a + b)(b + 1)$의 계산 그래프: $b$는 $c$와 $d$를 모두 거쳐 $e$에 닿는다.",
})

# symderiv serve의 웹 페이지 (symderiv.web).
WORDS.update({
    "web_tagline": "식을 입력하면 모든 단계가 증명된 미분 과정을 보여 줍니다.",
    "web_formula": "식",
    "web_notation": "표기",
    "web_text": "텍스트",
    "web_latex": "LaTeX",
    "web_variable": "변수",
    "web_variable_hint": "비우면 식의 유일한 변수",
    "web_strategy": "풀이 방법",
    "web_detail": "자세한 정도",
    "web_language": "언어",
    "web_derive": "미분하기",
    "web_examples": "예",
    "web_check": "내 답 확인하기",
    "web_answer": "내 도함수",
    "web_check_button": "확인",
    "web_right": "정답: {answer}은(는) {expr}을(를) {wrt}에 대해 미분한 도함수이다.",
    "web_method_identical": "도함수와 같은 식이다.",
    "web_method_symbolic": "도함수와의 차가 약분하면 0이 된다.",
    "web_method_numeric": "{points}개의 점에서 도함수와 30자리까지 일치한다.",
    "web_wrong": "오답: {answer}은(는) {expr}을(를) {wrt}에 대해 미분한 도함수가 아니다.",
    "web_true": "도함수는 {result}이다.",
    "web_counterexample": "반례: {point}에서 내 답은 {yours}, 도함수는 {true}이다.",
    "web_departs": (
        "내 답은 {step}단계({rule})에서 어긋난다: 그 단계에서 {node} = {correct}인데, "
        "{node}을(를) {yours}(으)로 두면 내 답이 나온다."
    ),
    "web_no_departure": "한 단계의 실수 하나로는 내 답을 설명할 수 없다.",
    "web_downloads": "내려받기",
    "web_permalink": "고정 링크",
    "web_api": "JSON API",
    "web_graph": "계산 그래프",
    "web_error": "입력을 읽을 수 없습니다",
    "web_limit": "한 번의 요청이 다룰 수 있는 양을 넘었습니다",
    "web_busy": "서버가 바쁩니다",
    "web_internal": "symderiv 내부에서 문제가 생겼습니다(알려 주세요)",
    "web_not_found": "그런 페이지가 없습니다",
})


# The matrix-calculus documents (symderiv.documents).
WORDS.update({
    "doc_logistic_matrix": "행렬 형태의 로지스틱 회귀: $\\frac{\\partial J}{\\partial \\mathbf{w}} = \\frac{1}{m} \\mathbf{X}^{T} (\\sigma(\\mathbf{X} \\mathbf{w}) - \\mathbf{y})$",
    "doc_logistic_matrix_intro": "$\\mathbf{X}$의 행인 m개의 예에 대한 평균 교차 엔트로피를 1로 이루어진 열벡터와 원소별로 취한 로그와 시그모이드로 쓴다. 행렬 공식집(Matrix Cookbook)의 방식으로 미분을 취해 $\\mathrm{d}J = \\operatorname{tr}(\\mathbf{G}^{T} \\mathrm{d}\\mathbf{w})$ 꼴이 되면 기울기는 $\\mathbf{G}$이다. 기울기는 분모 레이아웃으로 쓴다: 기울기는 변수와 같은 모양, 여기서는 열벡터 $\\mathbf{w}$의 모양이다.",
    "doc_softmax_regression": "소프트맥스 회귀: $\\frac{\\partial L}{\\partial \\mathbf{W}} = (\\operatorname{softmax}(\\mathbf{z}) - \\mathbf{y}) \\mathbf{x}^{T}$",
    "doc_softmax_regression_intro": "원-핫 목표값 $\\mathbf{y}$를 갖는 예 $\\mathbf{x}$ 하나에 대해 손실은 $L = -\\mathbf{y}^{T} \\log \\operatorname{softmax}(\\mathbf{z})$, $\\mathbf{z} = \\mathbf{W} \\mathbf{x} + \\mathbf{b}$이다. log 소프트맥스의 미분을 거치고 목표값의 합이 1임을 쓰면 출력의 오차는 $\\delta = \\operatorname{softmax}(\\mathbf{z}) - \\mathbf{y}$, 기울기는 $\\delta \\mathbf{x}^{T}$이며 $\\mathbf{W}$와 같은 모양이다(분모 레이아웃).",
})

# Matrix calculus (symderiv.calculus.matrix).
RULES.update({
    'matrix_differential': ('미분을 거쳐서', 'd{wrt}에 대해 선형인 미분 df를 구한다. df = tr(Gᵀ d{wrt})로 쓰면 기울기는 G이다: {law}.'),
    'differential_linear': ('선형식의 미분', '식이 변수에 대해 선형이므로 변수를 그 미분으로 바꾸고 상수항을 버린다: {law}.'),
    'differential_sum': ('합의 미분', '항별로 미분을 취하고, 상수배는 그대로 남으며, 상수의 미분은 0이다: {law}.'),
    'matrix_product': ('행렬의 곱의 법칙', '행렬은 교환되지 않으므로 인수의 순서를 지키며 하나씩 미분한다: {law}.'),
    'differential_transpose': ('전치의 미분', '전치는 선형이다: {law}.'),
    'differential_trace': ('대각합의 미분', '대각합은 선형이다: {law}.'),
    'differential_inverse': ('역행렬의 미분', 'U U⁻¹ = I를 곱의 법칙으로 미분한다: {law}.'),
    'differential_det': ('행렬식의 미분', '야코비 공식: {law}.'),
    'differential_log_det': ('log det의 미분', '야코비 공식을 det U로 나눈다: {law}.'),
    'elementwise_chain': ('원소별 연쇄 법칙', '함수가 각 원소에 따로 작용하므로 각 원소에 제 기울기를 곱한다. 아다마르 곱 ⊙로 쓴 연쇄 법칙: {law}. 기울기 f′는 아래에서 유도한다.'),
    'hadamard_product': ('⊙의 곱의 법칙', '원소별로 보면 수의 곱의 법칙이다: {law}.'),
    'differential_scalar_chain': ('스칼라의 연쇄 법칙', '스칼라 하나의 함수: {law}. 그 도함수는 아래에서 유도한다.'),
    'differential_softmax': ('소프트맥스의 미분', '소프트맥스의 야코비 행렬은 diag(s) − s sᵀ이다: {law}.'),
    'differential_log_softmax': ('log 소프트맥스의 미분', 'log softmax(z) = z − 1·log(1ᵀeᶻ)이므로 {law}.'),
    'trace_form': ('대각합 형태', '스칼라는 그 대각합과 같다. 대각합의 순환성과 ⟨A, B ⊙ C⟩ = ⟨A ⊙ B, C⟩로 미분 주위의 모든 것을 왼쪽으로 옮긴다: {law}.'),
    'matrix_gradient': ('기울기 읽기', '{law}. 기울기는 변수와 같은 모양이다(분모 레이아웃).'),
    'target_sum': ('목표값의 합은 1', '원-핫(또는 확률) 목표값은 합이 1이다: {law}.'),
    'elementwise_simplify': ('원소별로 간단히 하기', '원소별로 보면 +와 ⊙는 수의 덧셈과 곱셈이므로 수처럼 간단해진다: {law}.'),
})

# Everything else symderiv knows about the language (see symderiv.locales.locale.Locale).
LOCALE = Locale(
    code="ko",
    name=NAME,
    rules=RULES,
    words=WORDS,
    sentence_gap=" ",  # Korean separates sentences by a space
    otherwise="그 외",
    tex_fonts=("Noto Serif CJK KR", "Noto Sans CJK KR", "UnBatang"),  # fonts-noto-cjk on Debian, then TeX Live's own
    page_font="Noto Serif CJK KR",
    particles=agree,  # 은(는), 이(가), ...: the form the preceding word takes (symderiv.locales.korean)
)

WORDS["backprop_rules"] = "행렬 미분으로 유도한 규칙 (모든 단계를 원소별로 증명)"
