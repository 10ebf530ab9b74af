"""Common given names of many cultures, for telling a person from a place in English text.

Many towns and countries are also given names ("Florence", "Jordan", "Santiago", "Madison")
and many surnames are towns ("Elena Granada", "Mariam Kabul"). The geoparser uses this
table two ways (docs/geoparsing.md, "People named like places"):

- a place name right after a given name is a surname ("Lucía Valencia", "Tom Hereford");
- a place name that is itself a common given name, at the head of a clause and followed by
  a verb that a person does rather than a place (``PERSON_VERBS``), is a person.

The table was written for watchfloor from general knowledge of naming across cultures
(English, French, Spanish, Portuguese, Italian, German, Slavic, Arabic, Persian, Turkish,
South Asian, East and Southeast Asian, African, Mongolian, Pacific); it is not copied
from any list and is deliberately short: common names only.
"""

from __future__ import annotations

GIVEN_NAMES = frozenset(
    """
    aaron abby adam adrian agnes aidan alan albert alex alexander alexandra alexandria alfred
    alice alicia allison amanda amber amelia amy andrea andrew angela anna anne annie anthony
    april arthur ashley audrey aurora austin ava barbara barry beatrice becky ben benjamin
    bernard beth betty beverly bill billy bob bonnie brandon brenda brian bridget brittany
    brooke brooklyn bruce bryan caleb cameron carl carla carmen carol caroline carolina
    catherine cecilia charles charlie charlotte chelsea chester chloe chris christian
    christina christine christopher cindy claire clara clarence claude claudia clifford
    clifton colin connor craig crystal cynthia dakota dale dallas dan daniel danielle david
    dean deborah denise dennis derek diana diane dolores donald donna doris dorothy douglas
    dylan edgar edith edward eileen elaine eleanor elena elijah elizabeth ella ellen eloise
    emily emma eric erica erin ethan eugene eva evelyn florence frances francis frank fred
    gabriel gary gavin george georgia gerald gloria grace greg gregory hailey hannah harold
    harriet harry heather helen henry holly howard ian irene isaac isabel isabella jack
    jackson jacob jacqueline jake james jamie jane janet janice jason jean jeff jennifer jenny
    jeremy jerry jesse jessica jill jim joan joanna joe joel john johnny jonathan jordan
    joseph josephine joshua joyce judith judy julia julie justin karen kate katherine kathleen
    kayla keith kelly kenneth kevin kimberly kyle larry laura lauren lawrence leah lee leo
    leon leonard lily lincoln linda lisa logan lois lorraine louis louise lucy luke lydia
    madison madeline margaret maria marian marie marilyn marion mark martha martin mary mason
    matthew megan melanie melissa michael michelle mildred molly monica nancy natalie nathan
    neil nelson nicholas nicole noah nora norman olivia oscar owen paige pamela patricia
    patrick paul paula pauline peggy penny peter philip phoenix phyllis rachel ralph raymond
    rebecca regina richard rita robert robin roger ronald rose ruby russell ruth ryan sally
    samantha samuel sandra sara sarah savannah scott sean sharon shawn shirley sierra simon
    sophia sophie stanley stella stephanie stephen steven susan sydney sylvia tammy teresa
    terry theodore thomas tiffany timothy tina todd tom tony tracy travis troy tyler
    valerie vanessa veronica victor victoria vincent virginia walter warren wayne wendy
    william willow wyatt zachary zoe
    adèle agathe amélie anaïs antoine aurélie baptiste bastien camille céline chantal
    clément colette delphine élodie émile étienne fabien florian françois frédéric gaston
    geneviève guillaume hélène hugo jacques jérôme josé josette julien laurent léa lucien
    manon marcel margaux mathieu maxime mireille nathalie odette pascal pierre rené sébastien
    simone sylvie thierry valentin yves
    adriana agustín alberto alejandra alejandro alicia álvaro ana andrés ángel antonio
    beatriz camila carlos catalina cristina daniela diego dolores eduardo elena emilio
    enrique esperanza esteban fernanda fernando francisco gabriela guadalupe guillermo
    ignacio inés isabel javier jesús jorge josé juan juana julio lorena lourdes lucía luis
    luisa manuel marco marcos margarita mariana mario marta mateo mercedes miguel montserrat
    natalia nicolás pablo paloma patricio pedro pilar rafael ramón raúl ricardo roberto
    rocío rodrigo rosa rosario santiago sebastián sergio sofía soledad susana teresa tomás
    valentina valeria verónica victoria ximena
    afonso beatriz bruno caio fabiana gonçalo joão joaquim leonor luana márcia rui thiago
    vitória
    alessandro alessia andrea angelo antonella bianca carlo chiara davide elisa emanuele
    enzo fabio federica francesca giacomo gianluca giorgia giovanni giulia giuseppe lorenzo
    luca lucia marco matteo michele paolo riccardo roberta roma salvatore silvia simona
    stefano vincenzo
    anja birgit dieter frieda fritz günter hans heinrich helga ingrid jens jürgen karl klaus
    lars lena lukas maximilian nils otto sven ulrich uwe wolfgang
    agnieszka aleksandra alexei alexey anastasia andrei andriy anton boris dmitry ekaterina
    elena galina igor irina ivan katarzyna kateryna ksenia larisa lyudmila maria marina
    maxim mikhail milan natalia natalya nikolai nina oksana olga oleg pavel piotr sergei
    sergey svetlana tatiana tomasz vladimir yana yulia yuri zofia
    abdullah abdul abdi adel ahmad ahmed aisha ali amal amina amir amira anwar asma ayman aziz
    bashir bilal fadi farah farid faris fatima fatma habib hadi halima hamid hamza hana hani
    hassan hussein ibrahim imran issa jamal jamila karim khadija khalid khaled layla leila
    mahmoud malik mariam maryam mohamed mohammed mona mostafa muhammad mustafa nabil nadia
    naser nasser nour omar rami rania rashid reem saeed said salim salma sami samir samira
    sara tareq tariq walid yasmin yasmine yousef youssef yusuf zainab zaid zahra
    arash behrouz dariush farhad maryam mehdi mina nasrin parisa reza shirin
    ahmet ayşe burak elif emre fatih hakan kemal mehmet murat zeynep
    aarav amit anil anjali arjun deepa deepak ganesh geeta kavita krishna lakshmi manoj meena
    meera neha nikhil pooja pradeep priya rahul raj rajesh ramesh ravi rohan sanjay shanti
    sita sunil sunita suresh vijay vikram
    aiko akira chen haruto hiroshi jun kenji li lin ling mei ming naoki satoshi takashi
    wei xiao yan yuki yumi
    ama abena adwoa akosua amara aminata awa baraka chidi chinedu chipo emeka fatou folake
    kofi kwame kwabena mamadou moussa musa ngozi oumar sekou tendai thabo wanjiru yaw
    altantsetseg batbayar bat-erdene bolormaa enkhbayar ganbaatar munkhbat oyungerel
    sarangerel tsetsegmaa
    aroha mele sione tane
    """.split()
)

# More common given names of many cultures (added for issue #10's precision work): names
# of the Arab, Turkic,
# Persian, South Asian, African, East Asian and Hispanic worlds the first table lacked.
_MORE_GIVEN_NAMES = frozenset(
    """
    adil adel akbar alisher anvar aziza bakhyt baurzhan dilnoza farrukh gulnara
    jasur nodira rustam shahida timur zarina arman aslan aybek dauren ermek nurlan saule
    asif ayesha bushra faisal farhan hamza haris irfan junaid kamran nadeem naveed rizwan
    sadia shahid tahir usman waqar zubair abhishek aditya akash amitabh anand ashok
    bhavna chetan dinesh gaurav harish hemant jyoti karan kiran lalit mahesh naresh
    nitin prakash rakesh sachin sandeep santosh shweta tarun uday vinod yogesh
    abebe alemu almaz dawit genet haile kebede meron selam tigist yonas adaeze chiamaka
    chukwuma funmilayo ifeoma kayode nkechi obinna olumide segun tunde uche yemi zainab
    adjoa afua kojo kwesi yaa ousmane seydou boubacar fanta mariama souleymane
    bogdan dragan goran jelena milica nikola stefan vesna zoran dmitri grigori sasha
    haruki kaito kazuki ren riku sakura takumi yuto hana jisoo minho seojun jiwoo
    feng hao jian jie lei li ping qiang tao xin yong zhen zhi
    alejandra araceli candelaria dulce esmeralda fidel gilberto humberto isidro leticia
    maribel nayeli octavio reyna rigoberto ulises yolanda
    """.split()
)
GIVEN_NAMES = GIVEN_NAMES | _MORE_GIVEN_NAMES
