// The nouns the reference engine draws as subjects, and the art for each. Curated by hand from the English
// labels and keywords of emojibase (MIT); the art is Fluent Emoji Flat (MIT, from its Iconify JSON package).
// A line is `icon[@height]: noun, synonym, …`: `icon` names the Iconify icon, `height` the thing's usual
// height in metres (to scale subjects against each other; each kind has a default), and the nouns are
// singular (plurals are derived, irregular ones are listed in `IRREGULAR`). The first noun names the subject.
// Words the landscape itself paints (mountain, lake, sun, moon, cloud, snow) are deliberately absent.

/** How a subject stands in a scene: where it is placed and how it moves. */
export type SubjectKind =
  | 'animal'
  | 'bird'
  | 'insect'
  | 'swimmer'
  | 'person'
  | 'vehicle'
  | 'boat'
  | 'aircraft'
  | 'building'
  | 'plant'
  | 'food'
  | 'object'
  | 'symbol';

/** One drawable subject. */
export interface LexiconEntry {
  /** The noun the subject is known by (the first one listed). */
  name: string;
  /** Iconify icon name in Fluent Emoji Flat, or `builtin:<name>` for art drawn by the engine itself. */
  icon: string;
  kind: SubjectKind;
  /** Usual height in metres. */
  height: number;
  /** Every singular noun (and multi-word phrase) that names it. */
  words: readonly string[];
}

const DEFAULT_HEIGHT: Record<SubjectKind, number> = {
  animal: 1,
  bird: 0.4,
  insect: 0.05,
  swimmer: 1,
  person: 1.75,
  vehicle: 1.6,
  boat: 4,
  aircraft: 8,
  building: 10,
  plant: 1,
  food: 0.12,
  object: 0.3,
  symbol: 1,
};

const TABLE: Record<SubjectKind, string> = {
  animal: `
    fox@0.5: fox, vixen
    cat@0.3: cat, kitten, kitty, kitties, feline, tabby, tomcat
    black-cat@0.3: black cat
    dog@0.6: dog, puppy, pup, hound, doggy, canine, labrador, retriever, golden retriever, beagle
    poodle@0.6: poodle
    guide-dog@0.6: guide dog
    wolf@0.8: wolf, wolves
    raccoon@0.4: raccoon
    lion@1.2: lion, lioness
    tiger@1: tiger, tigress
    leopard@0.8: leopard, cheetah, jaguar, panther
    horse@1.7: horse, stallion, mare, pony, foal, steed, mustang
    unicorn@1.7: unicorn
    zebra@1.5: zebra
    deer@1.3: deer, stag, doe, fawn, reindeer, elk
    moose@2: moose
    donkey@1.3: donkey, mule
    bison@1.8: bison, buffalo
    cow@1.5: cow, cattle, calf, bull, dairy cow
    ox@1.6: ox, oxen
    water-buffalo@1.6: water buffalo
    pig@0.9: pig, piglet, hog, swine
    boar@0.9: boar, wild boar
    ram@1: ram
    ewe@0.9: sheep, ewe, lamb
    goat@0.8: goat, kid goat
    camel@2: camel, dromedary
    llama@1.7: llama, alpaca
    giraffe@5: giraffe
    elephant@3: elephant
    mammoth@3.5: mammoth
    rhinoceros@1.7: rhinoceros, rhino
    hippopotamus@1.5: hippopotamus, hippo
    mouse@0.08: mouse, mice
    rat@0.1: rat
    hamster@0.08: hamster, gerbil, guinea pig
    rabbit@0.3: rabbit, bunny, hare
    chipmunk@0.12: chipmunk, squirrel
    beaver@0.4: beaver
    hedgehog@0.15: hedgehog
    bear@1.5: bear, grizzly, grizzly bear, brown bear
    polar-bear@1.6: polar bear
    koala@0.6: koala
    panda@1.2: panda, giant panda
    sloth@0.6: sloth
    otter@0.5: otter
    skunk@0.3: skunk
    kangaroo@1.5: kangaroo, wallaby
    badger@0.3: badger
    monkey@0.6: monkey, chimpanzee, chimp, ape, baboon
    gorilla@1.6: gorilla
    orangutan@1.3: orangutan
    frog@0.1: frog, toad
    crocodile@0.6: crocodile, alligator, croc
    turtle@0.3: turtle, tortoise
    lizard@0.2: lizard, gecko, iguana, chameleon
    snake@0.3: snake, serpent, python, cobra, viper
    dragon@4: dragon, wyvern
    sauropod@8: sauropod, brontosaurus, brachiosaurus, dinosaur
    t-rex@5: t-rex, t rex, tyrannosaurus, trex
    snail@0.05: snail, slug
    chicken@0.5: chicken, hen
    rooster@0.6: rooster, cockerel
    baby-chick@0.1: chick, baby chick
    turkey@1: turkey
    penguin@0.8: penguin
    dodo@0.7: dodo
    flamingo@1.2: flamingo
    peacock@1: peacock, peafowl
    dragon-face@1: dragon head
  `,
  bird: `
    bird@0.3: bird, songbird, sparrow, robin, finch, cardinal, swallow
    blackbird@0.3: blackbird, crow, raven
    dove@0.3: dove, pigeon
    eagle@0.9: eagle, hawk, falcon, bird of prey, vulture
    owl@0.5: owl
    parrot@0.4: parrot, macaw, parakeet, cockatoo
    phoenix-bird@1: phoenix, firebird
    bat@0.2: bat
  `,
  insect: `
    butterfly: butterfly, moth
    honeybee: bee, honeybee, bumblebee, wasp
    lady-beetle: ladybug, ladybird, lady beetle
    beetle: beetle
    ant@0.01: ant
    bug: bug, caterpillar
    cricket: cricket, grasshopper, locust
    cockroach: cockroach, roach
    spider: spider, tarantula
    scorpion: scorpion
    mosquito: mosquito
    fly: housefly
    worm: worm, earthworm
    spider-web@0.5: spider web, cobweb
  `,
  swimmer: `
    duck@0.4: duck, duckling, mallard
    swan@1: swan
    goose@0.8: goose, geese
    whale@15: whale, humpback
    spouting-whale@15: blue whale, spouting whale
    dolphin@2: dolphin, porpoise
    seal@1: seal, sea lion, walrus
    fish@0.3: fish, goldfish, trout, salmon, carp, koi
    tropical-fish@0.2: tropical fish, clownfish, angelfish
    blowfish@0.3: blowfish, pufferfish
    shark@3: shark
    octopus@1: octopus, octopi
    squid@1: squid, kraken
    jellyfish@0.4: jellyfish
    crab@0.2: crab
    lobster@0.4: lobster, crayfish
    shrimp@0.1: shrimp, prawn
    oyster@0.1: oyster, clam, pearl
    spiral-shell@0.1: seashell, shell, conch
    coral@0.5: coral, coral reef
  `,
  person: `
    person-standing: person, human, someone, somebody, people
    man: man, men, guy, gentleman
    woman: woman, women, lady, girlfriend
    boy@1.3: boy
    girl@1.3: girl
    child@1.2: child, children, kid
    baby@0.6: baby, infant, toddler
    older-person: elder, grandparent, old person
    old-man: old man, grandfather, grandpa, fisherman, sailor
    old-woman: old woman, grandmother, grandma
    astronaut: astronaut, cosmonaut, spaceman, space explorer
    firefighter: firefighter, fireman
    police-officer: police officer, policeman, policewoman, cop
    detective: detective, investigator, sherlock
    guard: guard, soldier, sentry
    construction-worker: construction worker, builder
    health-worker: doctor, nurse, health worker, physician
    student: student, pupil
    teacher: teacher, professor
    judge: judge
    farmer: farmer, gardener
    cook: chef, cook, baker
    mechanic: mechanic, plumber, electrician
    factory-worker: factory worker, welder
    office-worker: office worker, businessman, businesswoman, accountant
    scientist: scientist, chemist
    technologist: programmer, developer, coder, hacker, engineer
    singer: singer, rock star, rockstar, musician
    artist: artist, painter
    pilot: pilot, aviator
    ninja: ninja
    prince: prince, king
    princess: princess, queen
    person-in-tuxedo: groom, person in a tuxedo
    person-with-veil: bride
    santa-claus: santa, santa claus, father christmas
    person-superhero: superhero, hero
    person-supervillain: supervillain, villain
    person-mage: wizard, mage, witch, sorcerer, magician
    person-fairy: fairy, pixie
    person-vampire: vampire, dracula
    woman-merpeople: mermaid
    man-merpeople: merman
    person-elf: elf
    person-genie: genie
    person-zombie: zombie
    troll: troll, ogre
    person-walking: walker, pedestrian, hiker, wanderer, traveller, traveler
    person-running: runner, jogger, athlete
    woman-dancing@1.7: dancer, ballerina
    person-climbing: climber, mountaineer
    person-surfing: surfer
    person-swimming: swimmer
    person-biking: cyclist, biker
    skier@1.7: skier
    snowboarder: snowboarder
    person-golfing: golfer
    person-lifting-weights: weightlifter, bodybuilder
    person-juggling: juggler, clown
    person-in-lotus-position: yogi, monk
    horse-racing: jockey
    person-rowing-boat: rower
    robot@1.7: robot, android, cyborg, droid
    alien@1.6: alien, extraterrestrial
    ghost@1.7: ghost, phantom
    skull@0.3: skull
    moai@4: moai, easter island statue, statue
  `,
  vehicle: `
    automobile@1.5: car, automobile, sedan, hatchback
    sport-utility-vehicle@1.8: suv, jeep, four by four
    racing-car@1.2: racing car, race car, sports car, formula one car, racecar
    taxi@1.5: taxi, cab
    police-car@1.5: police car, patrol car
    ambulance@2.5: ambulance
    fire-engine@3: fire engine, fire truck
    bus@3: bus, coach, school bus
    trolleybus@3: trolleybus, trolley
    minibus@2.2: minibus, van, camper van, campervan
    pickup-truck@1.8: pickup truck, pickup, truck
    delivery-truck@3: delivery truck, lorry
    articulated-lorry@4: semi truck, articulated lorry, eighteen wheeler
    tractor@2.5: tractor
    motorcycle@1.1: motorcycle, motorbike
    motor-scooter@1.1: scooter, moped, vespa
    bicycle@1: bicycle, bike
    kick-scooter@1: kick scooter
    skateboard@0.2: skateboard
    locomotive@4: locomotive, steam engine, steam train
    train@4: train, railway train
    high-speed-train@4: bullet train, high-speed train, high speed train
    tram@3.5: tram, streetcar, cable car
    auto-rickshaw@1.8: rickshaw, tuk tuk, tuk-tuk
    manual-wheelchair@1: wheelchair
    sled@0.5: sled, sledge, sleigh
    shopping-cart@1: shopping cart, trolley cart
  `,
  boat: `
    sailboat@6: boat, sailboat, yacht, sailing boat, dinghy
    canoe@1: canoe, kayak
    speedboat@2: speedboat, motorboat, power boat
    motor-boat@3: motor boat, fishing boat, tugboat
    ferry@12: ferry
    passenger-ship@20: ship, cruise ship, ocean liner, steamship, liner
    ship@15: cargo ship, freighter
  `,
  aircraft: `
    airplane@10: airplane, aeroplane, plane, airliner, aircraft
    small-airplane@4: small plane, propeller plane, biplane
    helicopter@4: helicopter, chopper
    rocket@30: rocket, spaceship, spacecraft, space shuttle
    flying-saucer@4: ufo, flying saucer
    satellite@5: satellite, space station
    parachute@8: parachute, paraglider
    balloon@1: balloon, balloons
    kite@1: kite
  `,
  building: `
    house@8: house, home, cottage, cabin, chalet, bungalow, barn, farmhouse
    house-with-garden@8: house with a garden, villa
    hut@4: hut, shack, shed
    derelict-house@8: ruin, ruins, abandoned house, haunted house
    houses@9: houses, village, neighbourhood, neighborhood
    office-building@40: office, office building, office tower, tower block
    post-office@12: post office
    hospital@20: hospital, clinic
    bank@15: bank building
    hotel@30: hotel, motel
    convenience-store@6: shop, store, storefront, coffee shop, cafe, café, bakery, restaurant, diner, bar, pub, bookshop, bookstore, market
    school@12: school, schoolhouse, university, college
    department-store@20: department store, mall, shopping mall
    factory@15: factory, mill, warehouse
    castle@25: castle, fortress, palace
    japanese-castle@25: pagoda, japanese castle
    classical-building@15: temple, museum, parthenon, courthouse, library
    church@20: church, chapel, cathedral
    mosque@20: mosque
    hindu-temple@20: hindu temple
    synagogue@15: synagogue
    shinto-shrine@8: shrine, torii, torii gate
    stadium@30: stadium, arena
    tokyo-tower@80: tower, eiffel tower, radio tower, tokyo tower
    statue-of-liberty@50: statue of liberty
    fountain@3: fountain
    tent@2: tent
    circus-tent@10: circus, circus tent, big top
    ferris-wheel@40: ferris wheel
    roller-coaster@30: roller coaster, rollercoaster
    carousel-horse@3: carousel, merry-go-round
    playground-slide@3: slide, playground
    wedding@15: wedding chapel
    lighthouse@25: lighthouse
    bridge-at-night@20: bridge
    construction@3: roadblock, barrier, construction site
    fuel-pump@2: gas station, petrol pump, fuel pump
    bus-stop@3: bus stop
    closed-mailbox-with-raised-flag@1.2: mailbox, letterbox, postbox
  `,
  plant: `
    deciduous-tree@8: tree, oak, maple, oak tree, maple tree, birch, elm
    evergreen-tree@10: pine, pine tree, fir, spruce, conifer, evergreen
    christmas-tree@3: christmas tree
    palm-tree@10: palm, palm tree, coconut tree
    cactus@2: cactus, cacti, saguaro
    sunflower@1.8: sunflower
    rose@0.6: rose, roses
    tulip@0.4: tulip
    hibiscus@1: hibiscus
    cherry-blossom@0.3: blossom flower, cherry blossom flower
    white-flower@0.3: daisy
    lotus@0.3: lotus, water lily, lily, lily pad
    blossom@0.3: flower, bloom, wildflower
    bouquet@0.5: bouquet, bunch of flowers, bouquet of flowers
    wilted-flower@0.4: wilted flower, dead flower
    hyacinth@0.3: lavender, hyacinth
    potted-plant@0.6: potted plant, houseplant, house plant, plant, fern
    seedling@0.2: seedling, sprout, sapling
    herb@0.3: herb, basil, mint
    four-leaf-clover@0.1: clover, four leaf clover, shamrock
    maple-leaf@0.2: maple leaf
    mushroom@0.2: mushroom, toadstool, fungus, fungi
    brown-mushroom@0.2: brown mushroom
    sheaf-of-rice@1: wheat, rice plant, sheaf
    rock@1: rock, boulder, stone
    wood@1: log, logs, firewood
    nest-with-eggs@0.3: nest, bird nest
  `,
  food: `
    steaming-bowl: ramen, noodle soup, noodles, bowl of noodles, pho, udon
    bowl-with-spoon: soup, cereal, porridge, stew, bowl of soup
    spaghetti: spaghetti, pasta, linguine
    pizza: pizza, slice of pizza
    hamburger: burger, hamburger, cheeseburger
    hot-dog: hot dog, hotdog, sausage
    sandwich: sandwich
    taco: taco
    burrito: burrito, wrap
    french-fries: fries, french fries, chips
    popcorn: popcorn
    sushi: sushi, sashimi
    bento-box: bento, bento box, lunch box
    curry-rice: curry
    cooked-rice: rice, bowl of rice
    rice-ball: rice ball, onigiri
    dumpling: dumpling, gyoza, dim sum
    fried-shrimp: tempura
    oden: oden, skewer, kebab
    dango: dango
    green-salad: salad
    shallow-pan-of-food: paella, casserole
    pot-of-food: pot, cauldron
    cooking: frying pan, fried egg, skillet
    egg: egg
    bread: bread, loaf
    baguette-bread: baguette
    croissant: croissant
    bagel: bagel
    pretzel: pretzel
    pancakes: pancakes, pancake, stack of pancakes
    waffle: waffle
    cheese-wedge: cheese
    bacon: bacon
    cut-of-meat: steak, meat
    poultry-leg: chicken leg, drumstick, fried chicken
    meat-on-bone: roast, ham
    falafel: falafel
    butter: butter
    salt: salt, salt shaker
    birthday-cake: cake, birthday cake, wedding cake
    shortcake: shortcake, cheesecake, slice of cake
    cupcake: cupcake, muffin
    pie: pie, tart, pumpkin pie
    doughnut: doughnut, donut
    cookie: cookie, biscuit
    chocolate-bar: chocolate, chocolate bar
    candy: candy, sweets, bonbon
    lollipop: lollipop
    custard: pudding, custard, flan
    honey-pot: honey, honey pot
    ice-cream: ice cream, sundae, gelato
    soft-ice-cream: ice cream cone, soft serve
    shaved-ice: shaved ice
    fortune-cookie: fortune cookie
    moon-cake: mooncake, moon cake
    red-apple: apple, fruit
    green-apple: green apple
    pear: pear
    peach: peach
    cherries: cherry, cherries
    strawberry: strawberry
    blueberries: blueberry, blueberries, berries
    grapes: grape, grapes
    melon: melon, cantaloupe
    watermelon: watermelon
    tangerine: orange, tangerine, mandarin, clementine
    lemon: lemon
    lime: lime
    banana: banana
    pineapple: pineapple
    mango: mango
    kiwi-fruit: kiwi
    coconut: coconut
    avocado: avocado, guacamole
    tomato: tomato
    olive: olive
    eggplant: eggplant, aubergine
    potato: potato
    carrot: carrot
    ear-of-corn: corn, maize, corn on the cob
    hot-pepper: chili, chilli, chili pepper, hot pepper
    bell-pepper: bell pepper, pepper, paprika
    cucumber: cucumber, pickle, zucchini
    leafy-green: lettuce, cabbage, kale, spinach
    broccoli: broccoli
    garlic: garlic
    onion: onion
    peanuts: peanut, peanuts, nuts
    chestnut: chestnut, acorn
    pea-pod: peas, pea pod
    beans: beans
    hot-beverage: coffee, cup of coffee, coffee cup, espresso, latte, cappuccino, hot chocolate, cocoa, mug
    teacup-without-handle: tea, cup of tea, matcha, green tea, teacup
    teapot: teapot, kettle
    glass-of-milk: milk, glass of milk
    wine-glass: wine, glass of wine, wine glass
    cocktail-glass: cocktail, martini
    tropical-drink: tropical drink, margarita, mojito
    beer-mug: beer, pint, ale
    tumbler-glass: whisky, whiskey, bourbon, scotch
    bottle-with-popping-cork: champagne, bottle of champagne
    sake: sake
    cup-with-straw: soda, soft drink, smoothie, milkshake, juice
    bubble-tea: bubble tea, boba
    baby-bottle: baby bottle
    beverage-box: juice box
    ice: ice cube
    fork-and-knife-with-plate: plate, dinner plate, dinner
    chopsticks: chopsticks
    spoon: spoon
    kitchen-knife: knife, kitchen knife
    jar: jar, jam
    canned-food: tin can, canned food
  `,
  object: `
    teddy-bear: teddy bear, teddy, stuffed animal, plush toy, toy
    soccer-ball: football, soccer ball, ball
    basketball: basketball
    baseball: baseball
    american-football: american football, rugby ball
    tennis: tennis ball
    volleyball: volleyball
    bowling: bowling ball
    pool-8-ball: pool ball, billiard ball
    game-die: dice
    chess-pawn: chess piece, pawn, chess
    puzzle-piece: puzzle, jigsaw
    video-game: game controller, controller, gamepad
    joystick: joystick
    trophy: trophy, cup trophy
    crystal-ball: crystal ball, orb
    magic-wand: magic wand, wand
    wrapped-gift: gift, present, parcel, gift box
    package: package, box, cardboard box
    crown: crown, tiara
    top-hat: top hat
    womans-hat: sun hat, hat
    billed-cap: cap, baseball cap
    graduation-cap: graduation cap, mortarboard
    glasses: glasses, spectacles, eyeglasses
    sunglasses: sunglasses, shades
    necktie: tie, necktie
    t-shirt: t-shirt, shirt, tshirt, tee
    jeans: jeans, trousers, pants
    dress: dress, gown
    kimono: kimono
    coat: coat, jacket
    scarf: scarf
    gloves: gloves, mittens
    socks: socks
    running-shoe: sneaker, sneakers, trainer, running shoe, shoe, shoes
    high-heeled-shoe: high heels, heels, stiletto
    hiking-boot: boot, boots, hiking boot
    backpack: backpack, rucksack, schoolbag
    handbag: handbag, purse, bag
    briefcase: briefcase
    luggage: suitcase, luggage
    umbrella: umbrella, parasol
    ring: ring, wedding ring
    gem-stone: gem, diamond, jewel, crystal, gemstone, ruby, emerald
    lipstick: lipstick
    guitar: guitar, electric guitar
    violin: violin, fiddle, cello
    trumpet: trumpet, horn
    saxophone: saxophone, sax
    accordion: accordion
    drum: drum, drum kit
    banjo: banjo
    flute: flute
    musical-keyboard: piano, keyboard
    microphone: microphone, mic
    headphone: headphones, headphone, headset
    radio: radio, boombox
    mobile-phone: phone, smartphone, mobile phone, iphone, cellphone
    telephone: telephone, rotary phone
    laptop: laptop, notebook computer
    desktop-computer: computer, desktop, monitor, pc
    television: television, tv
    camera: camera, photo camera
    movie-camera: movie camera, film camera
    video-camera: video camera, camcorder
    alarm-clock: alarm clock, clock
    mantelpiece-clock: mantel clock, grandfather clock
    watch: watch, wristwatch
    hourglass-not-done: hourglass, sand timer
    candle: candle, candles
    red-paper-lantern: lantern, paper lantern
    light-bulb: light bulb, bulb
    flashlight: flashlight, torch
    books: books, book, stack of books, library books
    open-book: open book, novel
    notebook: notebook, journal, diary
    scroll: scroll, parchment
    newspaper: newspaper, magazine
    envelope: envelope, letter, mail
    pencil: pencil
    fountain-pen: fountain pen, pen
    paintbrush: paintbrush, brush
    crayon: crayon
    artist-palette: palette, paint palette
    framed-picture: painting, picture frame, framed picture, portrait frame
    scissors: scissors
    straight-ruler: ruler
    paperclip: paperclip, paper clip
    pushpin: pin, pushpin, thumbtack
    calendar: calendar
    clipboard: clipboard
    key: key
    old-key: old key, skeleton key
    locked: lock, padlock
    hammer: hammer
    axe: axe, hatchet
    wrench: wrench, spanner
    screwdriver: screwdriver
    carpentry-saw: saw
    toolbox: toolbox, tool box
    gear: gear, cog
    magnet: magnet
    ladder: ladder
    shield: shield
    dagger: dagger
    crossed-swords: sword, swords
    bow-and-arrow: bow and arrow, arrow, archery
    boomerang: boomerang
    bomb: bomb
    anchor: anchor
    compass: compass
    world-map: map, world map
    globe-showing-europe-africa: globe, earth, world
    telescope: telescope
    microscope: microscope
    test-tube: test tube
    alembic: flask, beaker, potion
    dna: dna, double helix
    syringe: syringe, needle
    pill: pill, capsule, medicine
    stethoscope: stethoscope
    door@2.1: door, doorway
    bed@0.6: bed
    couch-and-lamp@1: couch, sofa, armchair, lamp
    chair@1: chair, stool
    bathtub: bathtub, bath, tub
    toilet: toilet
    mirror: mirror
    broom: broom
    basket: basket, picnic basket
    bucket: bucket, pail
    soap: soap
    sponge: sponge
    fire-extinguisher: fire extinguisher
    coin: coin, coins
    money-bag: money bag, money, treasure, loot
    dollar-banknote: dollar, banknote, cash, dollar bill
    credit-card: credit card, card
    trophy@0.4: award
    sports-medal: medal
    ticket: ticket
    balloon@1: party balloon
    party-popper: party, confetti
    fireworks: fireworks, firework
    sparkler: sparkler
    jack-o-lantern: jack-o-lantern, pumpkin, jack o lantern
    snowman@1.7: snowman
    bellhop-bell: bell, doorbell
    amphora: vase, urn, amphora
    headstone: gravestone, tombstone, grave
    coffin: coffin
    teddy-bear@0.4: doll
    skis: skis, ski
    ice-skate: ice skate
    roller-skate: roller skate, roller skates
    fishing-pole: fishing rod, fishing pole
    boxing-glove: boxing glove
    kite@1: paper kite
    yo-yo: yo-yo, yoyo
    nesting-dolls: matryoshka, nesting doll
    piata: pinata, piñata
    oil-drum: barrel, oil drum
    wheel: wheel, tire, tyre
    stop-sign@2: stop sign
    battery: battery
    electric-plug: plug
    robot@0.3: toy robot
  `,
  symbol: `
    red-heart: heart, love
    star: star shape, gold star
    glowing-star: sparkle, sparkles, glitter
    fire: fire, flame, flames, bonfire, campfire
    droplet: droplet, raindrop, water drop
    high-voltage: lightning bolt, bolt
    musical-note: music note, note, music, melody
    peace-symbol: peace sign, peace symbol
    yin-yang: yin yang, yin-yang
    recycling-symbol: recycling symbol, recycle
    atom-symbol: atom
    infinity: infinity
    check-mark-button: check mark, tick
    warning: warning sign, warning
    anchor@1: anchor symbol
    trident-emblem: trident
    fleur-de-lis: fleur-de-lis
    hamsa: hamsa
    nazar-amulet: evil eye, amulet
    crystal-ball@1: magic orb
    rainbow: rainbow
    bullseye: target, bullseye, dartboard
    light-bulb@1: lightbulb
    skull-and-crossbones: skull and crossbones, jolly roger, pirate flag
    chequered-flag: checkered flag, chequered flag, finish line
    triangular-flag: flag, pennant
  `,
};

/** Plurals that the usual rules (+s, +es, y → ies, f → ves) do not make. */
export const IRREGULAR: Readonly<Record<string, string>> = {
  mouse: 'mice',
  goose: 'geese',
  person: 'people',
  man: 'men',
  woman: 'women',
  child: 'children',
  fisherman: 'fishermen',
  policeman: 'policemen',
  policewoman: 'policewomen',
  fireman: 'firemen',
  businessman: 'businessmen',
  businesswoman: 'businesswomen',
  spaceman: 'spacemen',
  merman: 'mermen',
  gentleman: 'gentlemen',
  sheep: 'sheep',
  deer: 'deer',
  fish: 'fish',
  moose: 'moose',
  bison: 'bison',
  reindeer: 'reindeer',
  elk: 'elk',
  salmon: 'salmon',
  trout: 'trout',
  shrimp: 'shrimp',
  squid: 'squid',
  aircraft: 'aircraft',
  spacecraft: 'spacecraft',
  ox: 'oxen',
  cactus: 'cacti',
  fungus: 'fungi',
  octopus: 'octopi',
  knife: 'knives',
  leaf: 'leaves',
  loaf: 'loaves',
  wolf: 'wolves',
  calf: 'calves',
  elf: 'elves',
  shelf: 'shelves',
  scarf: 'scarves',
  tooth: 'teeth',
  foot: 'feet',
  die: 'dice',
  potato: 'potatoes',
  tomato: 'tomatoes',
  hero: 'heroes',
  volcano: 'volcanoes',
  mango: 'mangoes',
  buffalo: 'buffalo',
  cattle: 'cattle',
  chassis: 'chassis',
};

const ES_ENDINGS = /(s|x|z|ch|sh)$/;

/** The plural of a singular noun (the last word of a phrase). */
export const pluralOf = (noun: string): string => {
  const parts = noun.split(' ');
  const last = parts.pop() ?? noun;
  let plural: string;
  const irregular = IRREGULAR[last];
  if (irregular !== undefined) plural = irregular;
  else if (ES_ENDINGS.test(last)) plural = `${last}es`;
  else if (/[^aeiou]y$/.test(last)) plural = `${last.slice(0, -1)}ies`;
  else plural = `${last}s`;
  return [...parts, plural].join(' ');
};

const parse = (): LexiconEntry[] => {
  const out: LexiconEntry[] = [];
  for (const [kind, block] of Object.entries(TABLE) as [SubjectKind, string][]) {
    for (const raw of block.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      const colon = line.indexOf(':');
      const [icon = '', height] = line.slice(0, colon).split('@');
      const words = line
        .slice(colon + 1)
        .split(',')
        .map((w) => w.trim().toLowerCase())
        .filter(Boolean);
      out.push({
        name: words[0] ?? icon,
        icon: icon === 'lighthouse' ? `builtin:${icon}` : icon,
        kind,
        height: height === undefined ? DEFAULT_HEIGHT[kind] : Number(height),
        words,
      });
    }
  }
  return out;
};

/** Every subject the engine can draw, in table order. */
export const LEXICON: readonly LexiconEntry[] = parse();
